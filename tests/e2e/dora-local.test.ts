import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { replayDemo } from '../../local/demo';

/**
 * The demo history through local mode gives real DORA numbers at GET /api/metrics/dora,
 * the numbers worked out by hand from tooling/make-demo-scenario.ts:
 *   123456789012/us-east-1 checkout-service  3 deployments; the 2nd execution's Production deploy failed 5 h
 *                     after the 1st deployment and its retry succeeded 26 min later (one change failure, restored);
 *   123456789012/us-east-1 payments-api  1 deployment; the 2nd execution failed in Production 5 h later, nothing since;
 *   222222222222/eu-west-1 checkout-service  2 deployments: the same name as the first, its own numbers;
 *   333333333333/eu-west-1 web-frontend  1 deployment, then a stopped execution (not a failure).
 *   github:acme/storefront:Deploy (GitHub Actions, events/demo/github-actions.json) 2 deployments: the 2nd
 *                     run's production deployment failed 4 h 39 min after the 1st succeeded and the 3rd run
 *                     restored it 58 min later; lead times 39 and 23 min.
 */
describe('DORA metrics of the demo history through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
    await replayDemo(controlPlane);
  }, 120_000);
  afterAll(async () => {
    await controlPlane.close();
  });

  const dora = async (query = '') => {
    const response = await fetch(`${controlPlane.url}/api/metrics/dora${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      overall: Record<string, unknown>;
      pipelines: Record<string, unknown>[];
    };
  };

  it('answers the hand-checked numbers overall', async () => {
    const { overall } = await dora();
    expect(overall).toMatchObject({
      deployments: 9,
      changeFailures: 3,
      changeFailureRate: 0.3333,
      timeToRestore: { count: 2 },
      unrestoredFailures: 1,
      leadTime: { count: 9 },
    });
    // The replay shifts the demo to end a minute ago and event times keep whole seconds: compare minutes.
    const minutes = (stats: unknown) => Math.round(((stats as { median: number }).median ?? 0) / 60);
    // Restores of 26 and 58 min.
    expect(minutes(overall.timeToRestore)).toBe(42);
    // Commit ages 95, 40, 180, 300, 720, 50 and 35 min, plus 13 min through the stages (39 for the retried one,
    // the 40-minute commit), and GitHub's 39 and 23 min: sorted 23, 39, 48, 63, 79, 108, 193, 313, 733, median 79.
    expect(minutes(overall.leadTime)).toBe(79);
  });

  it('answers them per pipeline, each with its production stage', async () => {
    const { pipelines } = await dora('?bucket=week');
    // Two accounts' checkout-service: each its own row and numbers, never the two added together.
    const summary = pipelines
      .map((p) => [
        `${p.account}/${p.region} ${p.pipeline}`,
        p.productionStage,
        p.deployments,
        p.changeFailures,
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(summary).toEqual([
      ['123456789012/us-east-1 checkout-service', 'Production', 3, 1],
      ['123456789012/us-east-1 payments-api', 'Production', 1, 1],
      ['222222222222/eu-west-1 checkout-service', 'Production', 2, 0],
      ['333333333333/eu-west-1 web-frontend', 'Production', 1, 0],
      ['github/github.com github:acme/storefront:Deploy', 'production deployment', 2, 1],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { replayDemo } from '../../local/demo';

/**
 * The demo history through local mode gives real DORA numbers at GET /api/metrics/dora,
 * the numbers worked out by hand from tooling/make-demo-scenario.ts:
 *   checkout-service  3 deployments; the 2nd execution's Production deploy failed 5 h after the 1st
 *                     deployment and its retry succeeded 26 min later (one change failure, restored);
 *   payments-api      1 deployment; the 2nd execution failed in Production 5 h later, nothing since;
 *   web-frontend      1 deployment, then a stopped execution (not a failure);
 *   github:acme/storefront:Deploy (GitHub Actions, events/demo/github-actions.json) 2 deployments: the 2nd
 *                     run's production deployment failed 4 h 39 min after the 1st succeeded and the 3rd run
 *                     restored it 58 min later; lead times 39 and 23 min.
 */
describe('DORA metrics of the demo history through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
    await replayDemo(controlPlane);
  }, 60_000);
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
      deployments: 7,
      changeFailures: 3,
      changeFailureRate: 0.4286,
      timeToRestore: { count: 2 },
      unrestoredFailures: 1,
      leadTime: { count: 7 },
    });
    // The replay shifts the demo to end a minute ago and event times keep whole seconds: compare minutes.
    const minutes = (stats: unknown) => Math.round(((stats as { median: number }).median ?? 0) / 60);
    // Restores of 26 and 58 min.
    expect(minutes(overall.timeToRestore)).toBe(42);
    // Commit ages 95, 40, 180, 300 and 720 min, plus 13 min through the stages (39 for the retried one), and
    // GitHub's 39 and 23 min.
    expect(minutes(overall.leadTime)).toBe(108);
  });

  it('answers them per pipeline, each with its production stage', async () => {
    const { pipelines } = await dora('?bucket=week');
    const summary = pipelines.map((p) => [p.pipeline, p.productionStage, p.deployments, p.changeFailures]);
    expect(summary).toEqual([
      ['checkout-service', 'Production', 3, 1],
      ['github:acme/storefront:Deploy', 'production deployment', 2, 1],
      ['payments-api', 'Production', 1, 1],
      ['web-frontend', 'Production', 1, 0],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { applyDemoParameters, replayDemo } from '../../local/demo';
import { demoTour } from '../../tooling/tour';

/** `npm run tour` over the replayed demo: what a newcomer reads first names every account and both outcomes. */
describe('the demo tour', () => {
  let controlPlane: LocalControlPlane;
  let tour: string;
  beforeAll(async () => {
    applyDemoParameters();
    controlPlane = await startLocalControlPlane({ port: 0 });
    await replayDemo(controlPlane);
    tour = await demoTour(controlPlane.url);
  }, 120_000);
  afterAll(() => controlPlane.close());

  it('lists each pipeline as account, region and name, three accounts in two regions', () => {
    expect(tour).toContain('4 pipelines in 3 accounts and 2 regions');
    for (const place of [
      '123456789012/us-east-1 checkout-service',
      '123456789012/us-east-1 payments-api',
      '222222222222/eu-west-1 checkout-service',
      '333333333333/eu-west-1 web-frontend',
    ])
      expect(tour).toContain(place);
  });

  it('shows how to choose between the two checkout-service pipelines, and the 409 without a choice', () => {
    expect(tour).toContain('without ?account=&region= its routes answer 409 listing the choices');
    expect(tour).toContain(
      '/api/pipelines/checkout-service/executions?account=123456789012&region=us-east-1',
    );
  });

  it('says where each call went: the stop in the alarm account, the rest in the hub or the pipeline accounts', () => {
    expect(tour).toContain('StopDeployment in 123456789012/us-east-1');
    expect(tour).toMatch(/\d+ in 222222222222\/eu-west-1/);
  });

  it('shows a smoke test succeeding and one failing for a reason', () => {
    expect(tour).toContain('succeeded All 1 smoke checks passed');
    expect(tour).toContain('status 503, expected 200');
  });
});

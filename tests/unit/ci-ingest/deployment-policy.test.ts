import { describe, expect, it } from 'vitest';
import {
  deploymentStage,
  isProductionEnvironment,
  runDeploysToProduction,
} from '../../../functions/ci-ingest/domain/deployment-policy';
import { CI_PRODUCTION_STAGE } from '../../../functions/events/ci-pipelines';

const policy = { environments: ['staging', 'Production'], pipelines: ['github:acme/shop:Deploy'] };

describe('the CI deployment policy', () => {
  it('takes an environment the policy names, whichever of them and whatever the case', () => {
    expect(isProductionEnvironment(policy, 'production')).toBe(true);
    expect(isProductionEnvironment(policy, 'STAGING')).toBe(true);
    expect(isProductionEnvironment(policy, 'prod')).toBe(false);
    expect(isProductionEnvironment(policy, 'production-eu')).toBe(false);
  });

  it("takes GitHub's production flag only when it is given and true", () => {
    expect(isProductionEnvironment(policy, 'qa')).toBe(false);
    expect(isProductionEnvironment(policy, 'qa', false)).toBe(false);
    expect(isProductionEnvironment(policy, 'qa', true)).toBe(true);
    expect(isProductionEnvironment({ environments: [], pipelines: [] }, 'production')).toBe(false);
  });

  it('names the stage: the production one, or deploy <environment>', () => {
    expect(deploymentStage(policy, 'PRODUCTION')).toBe(CI_PRODUCTION_STAGE);
    expect(deploymentStage(policy, 'qa')).toBe('deploy qa');
    expect(deploymentStage(policy, 'qa', true)).toBe(CI_PRODUCTION_STAGE);
  });

  it('takes a whole run as a deployment only for a pipeline named exactly', () => {
    expect(runDeploysToProduction(policy, 'github:acme/shop:Deploy')).toBe(true);
    expect(runDeploysToProduction(policy, 'github:acme/shop:deploy')).toBe(false);
    expect(runDeploysToProduction(policy, 'github:acme/shop:Deploy ')).toBe(false);
  });
});

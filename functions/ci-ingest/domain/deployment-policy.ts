import { CI_PRODUCTION_STAGE } from '#events/ci-pipelines';

/**
 * Which CI work is a production deployment (the CI_DEPLOYMENT_POLICY setting, docs/other-ci.md): a
 * deployment to one of `environments` (compared without case), or a whole successful run of one of `pipelines`
 * (for workflows that deploy without telling GitHub about a deployment).
 */
export interface DeploymentPolicy {
  environments: readonly string[];
  pipelines: readonly string[];
}

export function isProductionEnvironment(
  policy: DeploymentPolicy,
  environment: string,
  /** GitHub's own `production_environment` flag on the deployment. */
  flaggedProduction = false,
): boolean {
  const wanted = environment.toLowerCase();
  return flaggedProduction || policy.environments.some((name) => name.toLowerCase() === wanted);
}

export function runDeploysToProduction(policy: DeploymentPolicy, pipeline: string): boolean {
  return policy.pipelines.includes(pipeline);
}

/**
 * The stage a deployment to `environment` is recorded as: the one production stage the delivery metrics read,
 * or `deploy <environment>`, shown in the history but never counted.
 */
export function deploymentStage(policy: DeploymentPolicy, environment: string, flaggedProduction = false) {
  return isProductionEnvironment(policy, environment, flaggedProduction)
    ? CI_PRODUCTION_STAGE
    : `deploy ${environment}`;
}

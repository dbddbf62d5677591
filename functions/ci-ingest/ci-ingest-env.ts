import * as z from 'zod/mini';
import { positiveIntegerEnv, tableNameEnv } from '#platform/config/common-env';
import { jsonText } from '#platform/config/json-env';
import type { DeploymentPolicy } from './domain/deployment-policy';

const deploymentPolicy = z.strictObject({
  environments: z._default(z.array(z.string().check(z.minLength(1))), ['production']),
  pipelines: z._default(z.array(z.string().check(z.minLength(1))), []),
});

const deploymentPolicyJson = jsonText(
  '{"environments":["production"],"pipelines":["github:org/repo:Deploy"]}',
);

/** The environment both CI endpoints read at cold start (docs/other-ci.md "Settings"). */
export const ciIngestEnv = {
  TABLE_NAME: tableNameEnv,
  HISTORY_RETENTION_DAYS: positiveIntegerEnv(400),
  /** Which environments and pipelines are production deployments. */
  CI_DEPLOYMENT_POLICY: z.prefault(z.pipe(deploymentPolicyJson, deploymentPolicy), '{}'),
};

export type CiDeploymentPolicy = DeploymentPolicy;

import * as z from 'zod/mini';
import { awsRegion, boundedString, notInherited } from './aws-names';
import { envelope } from './eventbridge-envelope';

// READY: a blue/green replacement environment is ready (CodeDeploy SNS trigger list, "blue/green only").
export const DEPLOYMENT_STATES = ['START', 'READY', 'SUCCESS', 'FAILURE', 'STOP'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const deploymentEvent = envelope(
  'CodeDeploy Deployment State-change Notification',
  'aws.codedeploy',
  z.object({
    deploymentId: z
      .string()
      .check(z.regex(/^d-[A-Z0-9]{1,30}$/, 'expected a deployment id such as d-A1B2C3D4E')),
    // CodeDeploy application and deployment group names: 1 to 100 characters.
    application: boundedString(100).check(notInherited),
    deploymentGroup: boundedString(100).check(notInherited),
    state: z.enum(DEPLOYMENT_STATES),
    region: z.optional(awsRegion),
    instanceGroupId: z.optional(boundedString(200)),
  }),
);

export type DeploymentEvent = z.infer<typeof deploymentEvent>;

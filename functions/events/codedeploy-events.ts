import * as z from 'zod/mini';
import { envelope } from './eventbridge-envelope';

// READY: a blue/green replacement environment is ready (CodeDeploy SNS trigger list, "blue/green only").
export const DEPLOYMENT_STATES = ['START', 'READY', 'SUCCESS', 'FAILURE', 'STOP'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const deploymentEvent = envelope(
  'CodeDeploy Deployment State-change Notification',
  'aws.codedeploy',
  z.object({
    deploymentId: z.string().check(z.regex(/^d-[A-Z0-9]+$/)),
    application: z.string().check(z.minLength(1)),
    deploymentGroup: z.string().check(z.minLength(1)),
    state: z.enum(DEPLOYMENT_STATES),
    region: z.optional(z.string()),
    instanceGroupId: z.optional(z.string()),
  }),
);

export type DeploymentEvent = z.infer<typeof deploymentEvent>;

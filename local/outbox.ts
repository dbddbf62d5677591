import { randomUUID } from 'node:crypto';
import type { ClientScope } from '../functions/platform/aws-clients';
import { withoutUndefined } from '../functions/platform/without-undefined';
import { LOCAL_FAULTS_MIDDLEWARE } from './fault-injection';

export interface OutboxEntry {
  id: string;
  at: string;
  service: string;
  command: string;
  /**
   * Where the call went: the account and region whose credentials the client signs with (local mode names
   * the function's own too; absent when whoever installed the outbox named no scope).
   */
  account?: string;
  region?: string;
  input: unknown;
  /** What the local answer was: the scripted output, or the error it threw. */
  output?: unknown;
  error?: string;
}

export type Responder = (input: Record<string, unknown>) => unknown;

/**
 * Outbound AWS calls in local mode: recorded here instead of being sent, and answered by scripted responders
 * (or an empty output). Installed as SDK middleware inside the SDK's retry loop (after local fault
 * injection), so nothing is sent, a retrying client retries an injected fault as it would AWS's, and every
 * client (CodePipeline, CodeDeploy, SNS, CloudWatch, …) works the same way.
 */
export function createOutbox() {
  const entries: OutboxEntry[] = [];
  const responders = new Map<string, Responder>();

  return {
    entries,
    /** Scripts the answer to `command` (e.g. 'GetPipelineExecution'); a throwing responder simulates an API error. */
    respond(command: string, responder: Responder) {
      responders.set(command, responder);
    },
    clear() {
      entries.length = 0;
    },
    install(
      client: { middlewareStack: { addRelativeTo: (...args: never[]) => void } },
      service: string,
      scope: ClientScope = {},
    ) {
      const middleware =
        (_next: unknown, context: { commandName?: string }) => async (args: { input: unknown }) => {
          const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          const entry: OutboxEntry = {
            id: randomUUID(),
            at: new Date().toISOString(),
            service,
            command,
            ...withoutUndefined({ account: scope.account, region: scope.region }),
            input: args.input,
          };
          entries.push(entry);
          try {
            const output = (responders.get(command)?.(args.input as Record<string, unknown>) ?? {}) as object;
            entry.output = output;
            return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
          } catch (error) {
            entry.error = `${(error as Error).name}: ${(error as Error).message}`;
            throw error;
          }
        };
      (client.middlewareStack.addRelativeTo as (...args: unknown[]) => void)(middleware, {
        relation: 'after',
        toMiddleware: LOCAL_FAULTS_MIDDLEWARE,
        name: 'localOutbox',
      });
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * Answers shaped like the real APIs' for every call the functions make, so each flow completes locally:
 * GetPipelineExecution with no revisions, a placeholder S3 revision for GetDeployment (so a redeploy of "the
 * last good revision" completes), new ids for what AWS creates, and alarms that exist and are OK.
 */
export function answerLikeAws(outbox: Outbox): void {
  outbox.respond('GetPipelineExecution', (input) => ({
    pipelineExecution: {
      pipelineName: input.pipelineName,
      pipelineExecutionId: input.pipelineExecutionId,
      artifactRevisions: [],
    },
  }));
  outbox.respond('GetDeployment', (input) => ({
    deploymentInfo: {
      deploymentId: input.deploymentId,
      creator: 'user',
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: 'local-revisions', key: `${input.deploymentId}.zip`, bundleType: 'zip' },
      },
    },
  }));
  outbox.respond('CreateDeployment', () => ({
    deploymentId: `d-LOCAL${randomUUID().slice(0, 8).toUpperCase()}`,
  }));
  outbox.respond('StopDeployment', () => ({ status: 'Pending', statusMessage: 'Stopping (local outbox)' }));
  outbox.respond('RollbackStage', () => ({ pipelineExecutionId: randomUUID() }));
  outbox.respond('Publish', () => ({ MessageId: randomUUID() }));
  outbox.respond('DescribeAlarms', alarmsInState([]));
}

/**
 * DescribeAlarms as CloudWatch answers it when every alarm asked for exists: the ones named in `inAlarm` are
 * in ALARM, the others OK. (An empty answer would read as "Alarm(s) not found".)
 */
export function alarmsInState(inAlarm: readonly string[]): Responder {
  return (input) => {
    const names = Array.isArray(input.AlarmNames) ? (input.AlarmNames as string[]) : [];
    return {
      MetricAlarms: names.map((name) => {
        const alarm = inAlarm.includes(name);
        return {
          AlarmName: name,
          AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`,
          StateValue: alarm ? 'ALARM' : 'OK',
          StateReason: alarm
            ? 'Threshold Crossed: 1 out of the last 1 datapoints [42.0] was greater than the threshold (10.0) (local outbox).'
            : 'Threshold not crossed (local outbox).',
          StateUpdatedTimestamp: new Date(),
        };
      }),
      CompositeAlarms: [],
    };
  };
}

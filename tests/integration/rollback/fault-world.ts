import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { PostMetadata, SlackApi } from '../../../functions/platform/slack/slack-client';
import { slackAnnouncementChannel } from '../../../functions/rollback/adapters/announcement-channels';
import type { ListedExecution } from '../../../functions/rollback/domain/choose-rollback-target';
import type { DeploymentDetails } from '../../../functions/rollback/domain/deployment-status';
import type {
  AnnouncementChannel,
  DeploymentGateway,
  PipelineGateway,
} from '../../../functions/rollback/ports';

/**
 * The faults of design.md §4, injected at one numbered call (DynamoDB or gateway):
 * - throttle: refused before it is sent;
 * - timeout: no answer, and it was never applied;
 * - lost-response: applied, then the answer is lost (a TimeoutError);
 * - crash-after: applied, then the invocation dies before it sees the answer.
 */
export const FAULTS = ['throttle', 'timeout', 'lost-response', 'crash-after'] as const;
export type Fault = (typeof FAULTS)[number];

/** The invocation died: the harness re-invokes as Lambda would; nothing of it may run on. */
export class CrashError extends Error {
  override name = 'CrashError';
}

const awsError = (name: string, message: string, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(message), { name, $fault: fault, $metadata: {} });

/** Numbers every call of every invocation and injects the scheduled fault at its number. */
export class FaultSchedule {
  calls: string[] = [];
  /** Calls that were applied but whose caller never saw the answer (lost-response, crash-after). */
  unanswered = 0;
  /** Set by a crash; every later call of the same invocation dies too. Cleared per invocation. */
  dead = false;

  constructor(private readonly faults: ReadonlyMap<number, Fault> = new Map()) {}

  async call<T>(label: string, apply: () => Promise<T>, throttled: () => Error): Promise<T> {
    if (this.dead) throw new CrashError(`${label} after the invocation died`);
    const index = this.calls.length;
    const fault = this.faults.get(index);
    this.calls.push(fault ? `${label} [${fault}]` : label);
    if (fault === 'throttle') throw throttled();
    if (fault === 'timeout') throw awsError('TimeoutError', `${label} timed out`, 'server');
    const result = await apply();
    if (fault === 'lost-response' || fault === 'crash-after') this.unanswered++;
    if (fault === 'lost-response') throw awsError('TimeoutError', `${label}: answer lost`, 'server');
    if (fault === 'crash-after') {
      this.dead = true;
      throw new CrashError(`died right after ${label}`);
    }
    return result;
  }
}

/**
 * A DocumentClient on the run's DynamoDB engine whose every attempt passes through the schedule, inside the SDK's
 * own retries (3 attempts, no back-off so the runs stay fast): a lost answer is retried by the SDK itself.
 */
export function faultyDocumentClient(endpoint: string, schedule: () => FaultSchedule | undefined) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const faults = schedule();
      if (!faults) return next(args);
      return faults.call(
        `DynamoDB ${context.commandName}`,
        () => next(args),
        () =>
          awsError(
            'ProvisionedThroughputExceededException',
            'Rate of requests exceeds the allowed throughput',
          ),
      );
    },
    { step: 'deserialize', name: 'injectFaults' },
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const throttled = () => awsError('ThrottlingException', 'Rate exceeded');

/** What AWS holds, and every call that acts and was applied (the thing counted). */
export interface World {
  now: Date;
  deployments: Map<string, DeploymentDetails>;
  /** Newest first. */
  executions: (ListedExecution & { succeededInStage?: boolean })[];
  applied: { stop: string[]; create: string[]; rollbackStage: string[] };
  announced: Record<string, string[]>;
}

export function fakeDeploymentGateway(world: World, schedule: () => FaultSchedule): DeploymentGateway {
  const read = (id: string) => {
    const deployment = world.deployments.get(id);
    if (!deployment) throw awsError('DeploymentDoesNotExistException', `${id} does not exist`);
    return structuredClone(deployment);
  };
  return {
    getDeployment: (id) => schedule().call('GetDeployment', async () => read(id), throttled),
    deploymentsCreatedSince: (application, group, since) =>
      schedule().call(
        'ListDeployments',
        async () =>
          [...world.deployments.values()]
            .filter(
              (d) =>
                d.applicationName === application &&
                d.deploymentGroupName === group &&
                (d.createTime ?? '') >= since,
            )
            .map((d) => structuredClone(d)),
        throttled,
      ),
    stopDeployment: (id) =>
      schedule().call(
        'StopDeployment',
        async () => {
          const deployment = world.deployments.get(id);
          if (!deployment) throw awsError('DeploymentDoesNotExistException', `${id} does not exist`);
          if (!['Created', 'Queued', 'InProgress', 'Baking', 'Ready'].includes(deployment.status ?? '')) {
            throw awsError('DeploymentAlreadyCompletedException', `${id} is already completed`);
          }
          Object.assign(deployment, { status: 'Stopped', rollbackDeploymentId: `${id}-RB` });
          world.applied.stop.push(id);
          return { status: 'Pending' };
        },
        throttled,
      ),
    createDeployment: (request) =>
      schedule().call(
        'CreateDeployment',
        async () => {
          const deploymentId = `d-NEW${world.applied.create.length + 1}`;
          world.deployments.set(deploymentId, {
            deploymentId,
            status: 'InProgress',
            creator: 'user',
            description: request.description,
            applicationName: request.application,
            deploymentGroupName: request.deploymentGroup,
            revision: request.revision,
            createTime: world.now.toISOString(),
          });
          world.applied.create.push(deploymentId);
          return { deploymentId };
        },
        throttled,
      ),
  };
}

export function fakePipelineGateway(world: World, schedule: () => FaultSchedule): PipelineGateway {
  return {
    listExecutions: (_pipeline, { succeededInStage } = {}) =>
      schedule().call(
        'ListPipelineExecutions',
        async () =>
          world.executions
            .filter((execution) => !succeededInStage || execution.succeededInStage)
            .map((execution) => structuredClone(execution)),
        throttled,
      ),
    rollbackStage: ({ targetExecutionId }) =>
      schedule().call(
        'RollbackStage',
        async () => {
          const rollbackExecutionId = `e-RB${world.applied.rollbackStage.length + 1}`;
          world.executions.unshift({
            pipelineExecutionId: rollbackExecutionId,
            executionType: 'ROLLBACK',
            startTime: world.now,
            rollbackMetadata: { rollbackTargetPipelineExecutionId: targetExecutionId },
          });
          world.applied.rollbackStage.push(targetExecutionId);
          return { rollbackExecutionId };
        },
        throttled,
      ),
  };
}

/** A channel that keeps every subject it was told (a lost answer or a crash after the post still posted). */
export function fakeChannel(name: string, world: World, schedule: () => FaultSchedule): AnnouncementChannel {
  world.announced[name] = [];
  return {
    name,
    announce: (announcement) =>
      schedule().call(
        `announce ${name}`,
        async () => {
          world.announced[name]?.push(announcement.subject);
        },
        throttled,
      ),
  };
}

/**
 * The real Slack announcement channel over a Slack whose every call passes through the schedule: each post
 * (with its metadata) is kept in `world.announced.Slack` and in the channel's history that `findPost` reads.
 */
export function faultySlackChannel(world: World, schedule: () => FaultSchedule): AnnouncementChannel {
  world.announced.Slack = [];
  const history: { ts: string; metadata?: PostMetadata }[] = [];
  const unused = () => Promise.reject(new Error('not used by announcements'));
  const api: SlackApi = {
    postMessage: (channel, message, _threadTs, metadata) =>
      schedule().call(
        'Slack chat.postMessage',
        async () => {
          const ts = `${history.length + 1}.000`;
          history.push({ ts, ...(metadata ? { metadata } : {}) });
          world.announced.Slack?.push(message.text.split('\n')[0] ?? '');
          return { channel, ts };
        },
        throttled,
      ),
    findPost: (_channel, wanted) =>
      schedule().call(
        'Slack conversations.history',
        async () => {
          const post = history.find(
            ({ metadata }) =>
              metadata?.eventType === wanted.eventType &&
              JSON.stringify(metadata.payload) === JSON.stringify(wanted.payload),
          );
          return post ? ({ found: true, ts: post.ts } as const) : ({ found: false } as const);
        },
        throttled,
      ),
    updateMessage: unused,
    postEphemeral: unused,
    openModal: unused,
    userGroupMembers: unused,
    userEmail: unused,
  };
  return slackAnnouncementChannel(
    'C0ROLLBACKS',
    async () => api,
    () => {},
  );
}

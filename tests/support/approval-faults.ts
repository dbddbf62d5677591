import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { SlackMessage } from '../../functions/approvals/adapters/approval-messages';
import { createApprovalStore } from '../../functions/approvals/adapters/approval-store';
import type { SlackApi } from '../../functions/approvals/ports';
import type { PostMetadata } from '../../functions/platform/slack/slack-client';
import { createHistoryTable, localDynamoClient } from '../../local/dynamo-engine';

/**
 * The fault model every act must survive, per call: throttled (refused, nothing applied), lost response (applied,
 * then an error), timeout (no answer, nothing applied) and crash-after (applied, then the invocation dies:
 * every later call of that invocation fails without effect).
 */
export type Fault = 'throttle' | 'lost-response' | 'timeout' | 'crash-after';
export const FAULTS: readonly Fault[] = ['throttle', 'lost-response', 'timeout', 'crash-after'];

/** The invocation died: nothing it does any more reaches anything. */
export class InvocationCrashed extends Error {
  override name = 'InvocationCrashed';
}

const faultError = (fault: Fault, service: string) =>
  fault === 'throttle'
    ? Object.assign(new Error(`${service} throttled`), {
        name: service === 'DynamoDB' ? 'ProvisionedThroughputExceededException' : 'ThrottlingException',
        $metadata: { httpStatusCode: 400, attempts: 1 },
      })
    : Object.assign(new Error(`${service} did not answer`), {
        name: 'TimeoutError',
        $metadata: { attempts: 1 },
      });

/**
 * Numbers every call to DynamoDB, CodePipeline and Slack across a whole scenario and applies the fault
 * scheduled for that number. `startInvocation` begins a new Lambda invocation (a crash ends only its own).
 */
export function createFaultSchedule(schedule: ReadonlyMap<number, Fault> = new Map()) {
  let calls = 0;
  let dead = false;
  const log: string[] = [];
  return {
    log,
    get calls() {
      return calls;
    },
    startInvocation() {
      dead = false;
    },
    async around<T>(service: string, operation: string, act: () => Promise<T>): Promise<T> {
      if (dead) throw new InvocationCrashed(`${service}.${operation} after the crash`);
      const fault = schedule.get(calls++);
      log.push(`${calls - 1} ${service}.${operation}${fault ? ` !${fault}` : ''}`);
      if (fault === 'throttle' || fault === 'timeout') throw faultError(fault, service);
      const result = await act();
      if (fault === 'lost-response') throw faultError(fault, service);
      if (fault === 'crash-after') {
        dead = true;
        throw new InvocationCrashed(`${service}.${operation} applied, then the invocation died`);
      }
      return result;
    },
  };
}
export type FaultSchedule = ReturnType<typeof createFaultSchedule>;

/** A fresh table in the run's DynamoDB engine, and a store whose every call passes through `faults`. */
export async function faultyApprovalStore(faults: () => FaultSchedule) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `faults-${randomUUID()}`;
  await createHistoryTable(endpoint, tableName);
  const dynamo = localDynamoClient(endpoint);
  dynamo.middlewareStack.add(
    (next, context) => (args) =>
      faults().around('DynamoDB', String(context.commandName ?? 'call'), () => next(args)),
    { step: 'initialize', name: 'injectFaults' },
  );
  const client = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const clean = DynamoDBDocumentClient.from(localDynamoClient(endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    store: createApprovalStore({ client, tableName }),
    /** The same table without faults: for setting a scenario up and checking its end. */
    cleanStore: createApprovalStore({ client: clean, tableName }),
  };
}

/** CodePipeline's approval action as far as PutApprovalResult goes: one result per token, then "already completed". */
export function fakeCodePipeline(faults: () => FaultSchedule) {
  const applied = new Map<string, { status: string; summary: string }[]>();
  return {
    applied,
    putApprovalResult: (record: { token: string }, status: string, summary: string) =>
      faults().around('CodePipeline', 'PutApprovalResult', async () => {
        const results = applied.get(record.token) ?? [];
        if (results.length > 0) {
          throw Object.assign(new Error('already completed'), {
            name: 'ApprovalAlreadyCompletedException',
            $metadata: { httpStatusCode: 400, attempts: 1 },
          });
        }
        applied.set(record.token, [...results, { status, summary }]);
      }),
  };
}

/** Slack's side: what each message shows now, every post, and the ephemeral notes. */
export function fakeSlack(faults: () => FaultSchedule) {
  const messages = new Map<string, SlackMessage>();
  const metadata = new Map<string, PostMetadata>();
  let ts = 0;
  const slack: SlackApi = {
    postMessage: (channel, message, _threadTs, postMetadata) =>
      faults().around('Slack', 'chat.postMessage', async () => {
        const posted = `${++ts}.000`;
        messages.set(posted, message);
        if (postMetadata) metadata.set(posted, postMetadata);
        return { channel, ts: posted };
      }),
    // The whole (short) history of the fake channel: every post made, with its metadata.
    findPost: (_channel, wanted) =>
      faults().around('Slack', 'conversations.history', async () => {
        for (const [posted, found] of metadata) {
          const same =
            found.eventType === wanted.eventType &&
            Object.entries(wanted.payload).every(([key, value]) => found.payload[key] === value);
          if (same) return { found: true, ts: posted } as const;
        }
        return { found: false } as const;
      }),
    updateMessage: (_channel, messageTs, message) =>
      faults().around('Slack', 'chat.update', async () => {
        messages.set(messageTs, message);
      }),
    postEphemeral: () => faults().around('Slack', 'chat.postEphemeral', async () => undefined),
    openModal: () => faults().around('Slack', 'views.open', async () => undefined),
    userGroupMembers: () => faults().around('Slack', 'usergroups.users.list', async () => []),
    userEmail: (userId) =>
      faults().around('Slack', 'users.info', async () => `${userId.toLowerCase()}@example.com`),
  };
  return { slack, messages };
}

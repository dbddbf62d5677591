import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../../../functions/history/domain/execution-record';
import {
  observeCodePipelineEvent,
  toTriggerInfo,
} from '../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';

type Sample = { detail: Record<string, unknown> } & Record<string, unknown>;

const sample = (name: string): Sample =>
  JSON.parse(readFileSync(new URL(`../../../events/record-execution/${name}.json`, import.meta.url), 'utf8'));

/** The real sample, its detail changed by `detail` (an undefined value removes the field), validated. */
function observe(name: string, detail: Record<string, unknown> = {}) {
  const event = sample(name);
  const changed = { ...event.detail, ...detail };
  for (const [key, value] of Object.entries(detail)) if (value === undefined) delete changed[key];
  const parsed = parseRecorderEvent({ ...event, detail: changed });
  if (parsed.source !== 'aws.codepipeline') throw new Error(`${name} is not a pipeline event`);
  return observeCodePipelineEvent(parsed);
}

const LONG = 'x'.repeat(MAX_TEXT_LENGTH + 100);
const CLIPPED = `${'x'.repeat(MAX_TEXT_LENGTH - 1)}…`;

// The envelope fields every observation of checkout-service's execution carries.
const checkout = (at: string) => ({
  account: '123456789012',
  region: 'us-east-1',
  pipeline: 'checkout-service',
  executionId: '0f6c1c2e-1111-4a7b-8e1d-5a4b3c2d1e0f',
  at,
  startTime: '2026-11-20T09:59:58.412Z',
  pipelineVersion: 3,
});

describe('observeCodePipelineEvent: pipeline events', () => {
  const AT = '2026-11-20T10:00:00.000Z';
  const TRIGGER = {
    commitId: '9b2f0c4d7e1a3b5c6d8e9f0a1b2c3d4e5f6a7b8c',
    commitMessage: 'Retry payment capture on 503',
    authorDate: '2026-11-20T09:41:07Z',
    author: 'Mary Major',
    repository: 'acme/checkout-service',
    branch: 'main',
    providerType: 'GitHub',
    connectionArn:
      'arn:aws:codestar-connections:us-east-1:123456789012:connection/4f1e3a2b-aaaa-bbbb-cccc-1234567890ab',
    authorEmail: 'mary@example.com',
  };

  it('observes the real STARTED sample exactly, its commit trigger included', () => {
    const observation = observe('pipeline-started');
    expect(observation).toStrictEqual({
      ...checkout(AT),
      kind: 'pipeline',
      status: { status: 'STARTED', statusAt: AT, attempt: 1 },
      trigger: {
        commitId: TRIGGER.commitId,
        commitMessage: TRIGGER.commitMessage,
        authorDate: TRIGGER.authorDate,
        author: TRIGGER.author,
        repository: TRIGGER.repository,
        branch: TRIGGER.branch,
        providerType: TRIGGER.providerType,
        connectionArn: TRIGGER.connectionArn,
        authorEmail: TRIGGER.authorEmail,
      },
      stopComments: undefined,
    });
  });

  it('takes the attempt from the event, 1 when it has none, and leaves out what the event leaves out', () => {
    expect(
      observe('pipeline-started', {
        state: 'STOPPING',
        'pipeline-execution-attempt': 3,
        'execution-trigger': undefined,
        'start-time': undefined,
        version: undefined,
        'stop-execution-comments': 'Bad config, stopping',
      }),
    ).toStrictEqual({
      ...checkout(AT),
      startTime: undefined,
      pipelineVersion: undefined,
      kind: 'pipeline',
      status: { status: 'STOPPING', statusAt: AT, attempt: 3 },
      trigger: undefined,
      stopComments: 'Bad config, stopping',
    });
    expect(observe('pipeline-started', { 'pipeline-execution-attempt': undefined })).toMatchObject({
      status: { status: 'STARTED', statusAt: AT, attempt: 1 },
    });
  });

  it.each([
    ['empty stop comments as none', '', undefined],
    ['long stop comments', LONG.slice(0, 1024), CLIPPED],
  ])('reads %s', (_name, comments, expected) => {
    expect(observe('pipeline-started', { 'stop-execution-comments': comments })).toMatchObject({
      stopComments: expected,
    });
  });
});

describe('toTriggerInfo', () => {
  it('renames every field of an execution trigger', () => {
    expect(
      toTriggerInfo({
        'trigger-type': 'Webhook',
        'trigger-detail': 'arn:aws:codestar-connections:us-east-1:123456789012:connection/4f1e3a2b',
        'commit-id': 'c0ffee',
        'commit-message': 'Fix rounding',
        'author-date': '2026-11-20T09:41:07Z',
        'author-display-name': 'Mary Major',
        'full-repository-name': 'acme/checkout-service',
        'branch-name': 'main',
        'tag-name': 'v1.2.3',
        'provider-type': 'GitHub',
        'connection-arn': 'arn:aws:codestar-connections:us-east-1:123456789012:connection/4f1e3a2b',
        'author-email': 'mary@example.com',
      }),
    ).toStrictEqual({
      type: 'Webhook',
      detail: 'arn:aws:codestar-connections:us-east-1:123456789012:connection/4f1e3a2b',
      commitId: 'c0ffee',
      commitMessage: 'Fix rounding',
      authorDate: '2026-11-20T09:41:07Z',
      author: 'Mary Major',
      repository: 'acme/checkout-service',
      branch: 'main',
      tag: 'v1.2.3',
      providerType: 'GitHub',
      connectionArn: 'arn:aws:codestar-connections:us-east-1:123456789012:connection/4f1e3a2b',
      authorEmail: 'mary@example.com',
    });
  });

  it('keeps only the fields a trigger has, clips a long commit message, and gives nothing for no trigger', () => {
    expect(toTriggerInfo({ 'trigger-type': 'StartPipelineExecution' })).toStrictEqual({
      type: 'StartPipelineExecution',
    });
    expect(toTriggerInfo({ 'commit-message': LONG })).toStrictEqual({ commitMessage: CLIPPED });
    expect(toTriggerInfo({})).toStrictEqual({});
    expect(toTriggerInfo(undefined)).toBeUndefined();
  });
});

describe('observeCodePipelineEvent: stage events', () => {
  it('observes the real RESUMED sample exactly, its retry time and attempt included', () => {
    expect(observe('stage-resumed')).toStrictEqual({
      account: '123456789012',
      region: 'eu-central-1',
      pipeline: 'BuildFromTag',
      executionId: '05dafb6a-5a56-4951-a858-968795364846',
      at: '2023-10-26T14:14:56.000Z',
      startTime: undefined,
      pipelineVersion: 32,
      kind: 'stage',
      stage: 'Build',
      status: { status: 'RESUMED', statusAt: '2023-10-26T14:14:56.000Z', attempt: 2 },
      lastRetryAt: '2023-10-26T14:14:56.305Z',
    });
  });

  it('gives a stage event without retry time or attempt none and attempt 1', () => {
    expect(
      observe('stage-resumed', {
        state: 'STARTED',
        'stage-last-retry-attempt-time': undefined,
        'pipeline-execution-attempt': undefined,
      }),
    ).toMatchObject({
      kind: 'stage',
      status: { status: 'STARTED', statusAt: '2023-10-26T14:14:56.000Z', attempt: 1 },
      lastRetryAt: undefined,
    });
  });
});

describe('observeCodePipelineEvent: action events', () => {
  const AT = '2026-11-20T10:08:43.000Z';
  const record = {
    status: 'FAILED',
    statusAt: AT,
    attempt: 1,
    actionExecutionId: '47f821c5-a902-44b2-ae61-b878d31ecd21',
    provider: 'CodeDeploy',
    category: 'Deploy',
    owner: 'AWS',
    region: 'us-east-1',
    externalExecutionId: 'd-7QX1Z2Y3W',
    externalExecutionUrl:
      'https://us-east-1.console.aws.amazon.com/codedeploy/home?#/deployments/d-7QX1Z2Y3W',
    summary: 'Deployment d-7QX1Z2Y3W failed',
    errorCode: 'JobFailed',
  };

  it('observes the real FAILED CodeDeploy action sample exactly', () => {
    expect(observe('action-codedeploy-failed')).toStrictEqual({
      ...checkout(AT),
      kind: 'action',
      stage: 'Deploy',
      action: 'Deploy',
      record,
    });
  });

  it('leaves out of the record every field the event does not carry', () => {
    expect(
      observe('action-codedeploy-failed', {
        state: 'STARTED',
        'pipeline-execution-attempt': 2,
        'action-execution-id': undefined,
        region: undefined,
        type: undefined,
        'execution-result': undefined,
      }),
    ).toStrictEqual({
      ...checkout(AT),
      kind: 'action',
      stage: 'Deploy',
      action: 'Deploy',
      record: { status: 'STARTED', statusAt: AT, attempt: 2 },
    });
    expect(observe('action-codedeploy-failed', { type: {}, 'execution-result': {} })).toMatchObject({
      record: {
        status: 'FAILED',
        statusAt: AT,
        attempt: 1,
        actionExecutionId: record.actionExecutionId,
        region: 'us-east-1',
      },
    });
    const { record: partial } = observe('action-codedeploy-failed', { type: {}, 'execution-result': {} }) as {
      record: object;
    };
    expect(Object.keys(partial)).toEqual(['status', 'statusAt', 'attempt', 'actionExecutionId', 'region']);
  });

  it('clips a long execution summary', () => {
    expect(
      observe('action-codedeploy-failed', {
        'execution-result': { 'external-execution-summary': LONG.slice(0, 2048) },
      }),
    ).toMatchObject({ record: { summary: CLIPPED } });
  });
});

import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../functions/approvals/slack-interactions/verify-slack-signature';
import { LOCAL_TABLE_NAME, type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { DEV_SIGNING_SECRET } from '../../local/development-slack-credentials';
import { localDynamoClient } from '../../local/dynamo-engine';
import { readEvent } from '../support/events';
import { MALFORMED_EVENTS, type TargetFunction } from '../unit/events/malformed-event-catalogue';

const FUNCTIONS: Record<TargetFunction, string> = {
  'record-execution': 'RecordExecutionFunction',
  'rollback-on-alarm': 'RollbackOnAlarmFunction',
  'approval-completed': 'ApprovalCompletedFunction',
  'request-approval': 'RequestApprovalFunction',
};

/**
 * Bad input through local mode: every malformed event is answered `rejected` with the field named, by the real
 * handler on the real table (dynalite), and nothing is written, called or posted; every malformed request to the
 * HTTP edges is a 400 with the reason.
 */
describe('bad input through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
  }, 60_000);
  afterAll(() => controlPlane.close());

  const itemsInTable = async () =>
    (
      await localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '').send(
        new ScanCommand({ TableName: LOCAL_TABLE_NAME, Select: 'COUNT' }),
      )
    ).Count ?? 0;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${controlPlane.url}${path}`, { method: 'POST', body, headers });
  const answer = async (response: Response) => ({
    status: response.status,
    body: (await response.json()) as { message?: string },
  });

  it('answers each malformed event rejected with the field named, and changes nothing', async () => {
    const unexpected: string[] = [];
    for (const { name, target, event, field } of MALFORMED_EVENTS) {
      const fn = controlPlane.functions.find((candidate) => candidate.logicalId === FUNCTIONS[target]);
      let result: unknown;
      try {
        result = await fn?.invoke(event);
      } catch (error) {
        result = { threw: String(error) };
      }
      const { status, reason } = (result ?? {}) as { status?: string; reason?: string };
      if (status !== 'rejected' || !reason?.includes(field)) {
        unexpected.push(`${target}: ${name}: ${JSON.stringify(result).slice(0, 300)}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(await itemsInTable()).toBe(0);
    expect(controlPlane.outbox.entries).toEqual([]);
    expect(controlPlane.slackCalls).toEqual([]);
  });

  it.each([
    ['42', 'Body is the number 42'],
    ['"pipeline-started"', 'Body is a string'],
    ['null', 'Body is null'],
    ['[{"id":"x"}, 7]', 'Item 1 of the body is the number 7'],
    ['[null]', 'Item 0 of the body is null'],
  ])('POST /events with body %s is a 400 naming the problem, delivering nothing', async (body, reason) => {
    const { status, body: answered } = await answer(await post('/events', body));
    expect(status).toBe(400);
    expect(answered.message).toContain(reason);
    expect(await itemsInTable()).toBe(0);
  });

  it.each([
    ['/sns', 'null', 'not an SNS notification'],
    ['/sns', '[1]', 'not an SNS notification'],
    ['/actions/http-smoke-test', '42', 'not a CodePipeline job event'],
  ])('POST %s with body %s is a 400', async (path, body, reason) => {
    const { status, body: answered } = await answer(await post(path, body));
    expect(status).toBe(400);
    expect(answered.message).toContain(reason);
  });

  it.each([
    [
      'from after to',
      '/api/pipelines/orders/executions?from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z',
      /from: must be before to/,
    ],
    ['a time that is not ISO-8601', '/api/pipelines/orders/executions?from=12', /from: expected an ISO-8601/],
    [
      'an execution id of 3,000 characters',
      `/api/pipelines/orders/executions/${'e'.repeat(3000)}`,
      /executionId: expected at most 64/,
    ],
    [
      'a pipeline name of 101 characters',
      `/api/pipelines/${'p'.repeat(101)}/executions`,
      /pipeline: expected at most 100/,
    ],
    [
      'a pipeline name AWS cannot issue',
      '/api/pipelines/orders%23EXEC/executions',
      /pipeline: expected letters/,
    ],
    ['a cursor of 3,000 characters', `/api/pipelines/orders/executions?cursor=${'c'.repeat(3000)}`, /cursor/],
    [
      'a DORA pipeline of 101 characters',
      `/api/metrics/dora?pipeline=${'p'.repeat(101)}`,
      /pipeline: expected at most 100/,
    ],
    [
      'rollbacks from after to',
      '/api/rollbacks?from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z',
      /from: must be before to/,
    ],
  ])('the read API answers 400 for %s', async (_, path, reason) => {
    const { status, body } = await answer(await fetch(`${controlPlane.url}${path}`));
    expect(status).toBe(400);
    expect(body.message).toMatch(reason);
  });

  it.each([
    ['payload=null', 'expected a JSON object, got null'],
    ['payload=42', 'expected a JSON object, got number'],
    ['payload=%7B%22type%22%3A7%7D', 'type: expected a string'],
    ['payload=not-json', 'not JSON'],
    ['payload=%7B%22type%22%3A%22block_actions%22%7D', 'block_actions payload'],
    ['nothing=here', 'no payload field'],
  ])('a correctly signed Slack body %s is a 400 with the reason', async (body, reason) => {
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(body, DEV_SIGNING_SECRET, Math.floor(Date.now() / 1000)),
    };
    const { status, body: answered } = await answer(await post('/slack/interactions', body, headers));
    expect(status).toBe(400);
    expect(answered.message).toContain(reason);
  });

  it('still records a well-formed event (the empty table above is not an accident of the setup)', async () => {
    const { status } = await answer(
      await post('/events', JSON.stringify(readEvent('record-execution/pipeline-started.json'))),
    );
    expect(status).toBe(200);
    expect(await itemsInTable()).toBeGreaterThan(0);
  });
});

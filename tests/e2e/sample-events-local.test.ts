import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalIdFor } from '../../functions/approvals/request-approval/request-approval';
import { signSlackRequest } from '../../functions/approvals/slack-interactions/verify-slack-signature';
import { signCiRequest } from '../../functions/ci-ingest/ci-signature';
import { ciSampleSignedNow, type FunctionUrlSample } from '../../local/ci-sample-signed-now';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { applyDemoParameters, replayDemo } from '../../local/demo';
import { DEMO_ALARMS_IN_ALARM } from '../../local/demo-incidents';
import { DEV_SIGNING_SECRET } from '../../local/development-slack-credentials';
import { DEV_CI_WEBHOOK_SECRET, DEV_GITHUB_WEBHOOK_SECRET } from '../../local/development-webhook-secrets';
import { alarmsInState } from '../../local/outbox';
import { shiftToNow } from '../local/shift-to-now';

const EVENTS = new URL('../../events/', import.meta.url).pathname;

/** Every sample under events/ except the demo scenario, as `folder/.../file.json`. */
function sampleFiles(dir = EVENTS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'demo' ? [] : sampleFiles(path);
    return entry.name.endsWith('.json') ? [relative(EVENTS, path)] : [];
  });
}

const read = (file: string) =>
  JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as Record<string, unknown>;

/**
 * Each file in events/ through `npm start -- --demo` as docs/local-tour.md documents it: the route it is
 * posted to, and what a newcomer should see (a function ran and answered, never a crash or "not configured").
 */
describe('every sample event, replayed against the local demo', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    applyDemoParameters();
    controlPlane = await startLocalControlPlane({ port: 0 });
    await replayDemo(controlPlane);
  }, 120_000);
  afterAll(() => controlPlane.close());

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${controlPlane.url}${path}`, { method: 'POST', body, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  type Delivery = { matched: { function: string; error?: string; result?: unknown }[] };
  const deliver = async (event: Record<string, unknown>) => {
    const { body } = await post('/events', JSON.stringify(event));
    return (body.deliveries as Delivery[])[0]?.matched ?? [];
  };

  const files = sampleFiles();

  it('covers every folder', () => {
    const folders = new Set(files.map((file) => file.split('/')[0]));
    expect([...folders].sort()).toEqual(
      readdirSync(EVENTS)
        .filter((name) => name !== 'demo')
        .sort(),
    );
  });

  it.each(files.filter((file) => /^(record-execution|approval-completed)\//.test(file)))(
    '%s is recorded',
    async (file) => {
      const matched = await deliver(read(file));
      expect(matched.length).toBeGreaterThan(0);
      for (const invocation of matched) {
        expect(invocation.error).toBeUndefined();
        expect(JSON.stringify(invocation.result ?? {})).not.toContain('"rejected"');
      }
    },
  );

  it.each(files.filter((file) => file.startsWith('unmatched/')))('%s matches no rule', async (file) => {
    expect(await deliver(read(file))).toEqual([]);
  });

  it.each(files.filter((file) => file.startsWith('rollback-on-alarm/')))(
    '%s, happening now, is decided for a guarded target',
    async (file) => {
      const matched = await deliver(shiftToNow(read(file)));
      expect(matched.map((invocation) => invocation.function)).toEqual(['RollbackOnAlarmFunction']);
      const result = JSON.stringify(matched[0]?.result);
      expect(result).not.toMatch(/no target is configured/i);
      expect(result).not.toContain('INCIDENT#');
      expect(matched[0]?.error).toBeUndefined();
    },
  );

  it.each(files.filter((file) => file.startsWith('actions/')))('%s ends its job', async (file) => {
    const action = file.split('/')[1] ?? '';
    const event = read(file) as { 'CodePipeline.job': { id: string } };
    const { status, body } = await post(`/actions/${action}`, JSON.stringify(event));
    expect(status).toBe(200);
    const ended = controlPlane.outbox.entries.filter(
      (call) =>
        /^PutJob(Success|Failure)Result$/.test(call.command) &&
        (call.input as { jobId?: string }).jobId === event['CodePipeline.job'].id,
    );
    expect(ended.length, JSON.stringify(body)).toBeGreaterThan(0);
    const last = (ended.at(-1)?.input ?? {}) as { failureDetails?: { type: string; message: string } };
    const failure = last.failureDetails;
    if (/invalid/.test(file)) expect(failure?.type).toBe('ConfigurationError');
    // The alarms exist locally (the outbox answers DescribeAlarms), so no bake fails for a missing one.
    expect(failure?.message ?? '').not.toContain('not found');
  });

  it("actions/alarm-bake/ten-minutes.json bakes its ten minutes on local mode's compressed clock", async () => {
    // The demo keeps checkout-p99-latency in ALARM (its rollback); here every alarm stays OK, so the bake runs
    // to its end: twenty polls thirty seconds apart, the waits skipped rather than slept.
    controlPlane.outbox.respond('DescribeAlarms', alarmsInState([]));
    try {
      const event = read('actions/alarm-bake/ten-minutes.json') as { 'CodePipeline.job': { id: string } };
      const jobId = event['CodePipeline.job'].id;
      controlPlane.outbox.clear();
      const { status } = await post('/actions/alarm-bake', JSON.stringify(event));
      expect(status).toBe(200);
      const polls = controlPlane.outbox.entries.filter((call) => call.command === 'DescribeAlarms');
      expect(polls.length).toBe(21);
      const ended = controlPlane.outbox.entries.filter((call) => call.command.startsWith('PutJob'));
      expect(ended.map((call) => [call.command, (call.input as { jobId?: string }).jobId])).toEqual([
        ['PutJobSuccessResult', jobId],
      ]);
      expect(ended[0]?.input).toMatchObject({
        executionDetails: { summary: expect.stringContaining('during the 10-minute bake') },
      });
    } finally {
      controlPlane.outbox.respond('DescribeAlarms', alarmsInState(DEMO_ALARMS_IN_ALARM));
    }
  });

  it('request-approval/approval-needed.json posts the request to the local Slack sink', async () => {
    const sample = read('request-approval/approval-needed.json') as {
      Records: { Sns: { Message: string } }[];
    };
    const { body } = await post(
      '/sns',
      JSON.stringify({
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:ApprovalTopic',
        Message: sample.Records[0]?.Sns.Message,
      }),
    );
    expect(body.delivered).toEqual([expect.objectContaining({ function: 'RequestApprovalFunction' })]);
    expect(JSON.stringify(body.delivered)).not.toContain('"error"');
  });

  it('slack-interactions/approve-click.json, signed now, is answered', async () => {
    const sample = read('slack-interactions/approve-click.json') as {
      body: string;
      isBase64Encoded?: boolean;
    };
    const form =
      sample.isBase64Encoded === false ? sample.body : Buffer.from(sample.body, 'base64').toString();
    const response = await fetch(`${controlPlane.url}/slack/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(form, DEV_SIGNING_SECRET, Math.floor(Date.now() / 1000)),
      },
      body: form,
    });
    expect(response.status).toBe(200);
  });

  /** A Function URL sample posted as the request it holds: its headers (but the Function URL's host) and body. */
  const replay = (path: string, sample: FunctionUrlSample) => {
    const { host: _functionUrlHost, ...headers } = sample.headers;
    return post(path, sample.body, headers);
  };

  // Before github/workflow_run.completed-success.json (the same delivery's payload), so this one records it.
  it('github-webhook/workflow_run.completed-success.json, as GitHub delivered it, is recorded', async () => {
    const sample = read('github-webhook/workflow_run.completed-success.json') as unknown as FunctionUrlSample;
    expect(await replay('/github/webhook', sample)).toEqual({
      status: 200,
      body: {
        status: 'recorded',
        pipeline: 'github:octo-org/octo-repo:test',
        executionId: '289782451',
        changed: true,
      },
    });
  });

  it('ci-events/run.started.json is refused as stored (its timestamp is old) and recorded signed now', async () => {
    const sample = read('ci-events/run.started.json') as unknown as FunctionUrlSample;
    expect(await replay('/ci/events', sample)).toEqual({
      status: 401,
      body: { status: 'unauthorized', reason: 'X-CI-Timestamp is more than 300 seconds from now' },
    });
    expect(await replay('/ci/events', ciSampleSignedNow(sample))).toEqual({
      status: 200,
      body: {
        status: 'recorded',
        eventId: 'jenkins-checkout-deploy-88-started',
        pipeline: 'ci:jenkins/checkout-deploy',
        executionId: '88',
        changed: true,
      },
    });
  });

  it("approval-decisions/approve-click-job.json, the job of an Approve click, approves the demo's release", async () => {
    const job = read('approval-decisions/approve-click-job.json');
    // The approval the demo requested for payments-api's ReleaseApproval (local/demo.ts).
    expect(job.approvalId).toBe(approvalIdFor('demo-approval-token-0000'));
    const worker = controlPlane.functions.find((fn) => fn.logicalId === 'ApprovalDecisionsFunction');
    // As slack-interactions hands a click over: an asynchronous invocation whose payload is the job.
    expect(await worker?.invoke(job)).toEqual({
      click: 'decided',
      settlement: { approvalId: job.approvalId, state: 'settled', answer: 'accepted' },
    });
    const sent = controlPlane.outbox.entries.filter((call) => call.command === 'PutApprovalResult');
    expect(sent.map((call) => call.input)).toEqual([
      {
        pipelineName: 'payments-api',
        stageName: 'Production',
        actionName: 'ReleaseApproval',
        token: 'demo-approval-token-0000',
        result: { status: 'Approved', summary: 'Approved via Slack by local.approver (U0LOCAL001)' },
      },
    ]);
  });

  it.each(files.filter((file) => file.startsWith('github/')))(
    '%s, signed as GitHub signs, is answered at POST /github/webhook',
    async (file) => {
      const body = JSON.stringify(read(file));
      const event = file.split('/')[1]?.split('.')[0] ?? '';
      const { status, body: answer } = await post('/github/webhook', body, {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `sample-${file}`,
        'x-hub-signature-256': await sign(DEV_GITHUB_WEBHOOK_SECRET, body),
      });
      expect(status, JSON.stringify(answer)).toBe(event === 'issues' ? 202 : 200);
    },
  );

  it.each(files.filter((file) => file.startsWith('generic-ci/')))(
    '%s, signed now, is recorded at POST /ci/events',
    async (file) => {
      const body = JSON.stringify(read(file));
      const { status, body: answer } = await post(
        '/ci/events',
        body,
        signCiRequest(body, DEV_CI_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
      );
      expect(status, JSON.stringify(answer)).toBe(200);
      expect(answer.status).toBe('recorded');
    },
  );

  it.each([
    ['approval-reminders/scheduled.json', 'ApprovalRemindersFunction'],
    ['reconcile-history/scheduled.json', 'ReconcileHistoryFunction'],
    ['pack-delivery-facts/scheduled.json', 'PackDeliveryFactsFunction'],
  ])('%s runs %s on its schedule', async (_file, functionId) => {
    const { status, body } = await post(`/local/schedule/${functionId}`, '');
    expect(status).toBe(200);
    expect(body.error).toBeUndefined();
  });
});

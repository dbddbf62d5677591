import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { listenOnLoopback } from '../../local/loopback';
import { readEvent } from '../support/events';

/** Invoke actions through local mode: POST /actions/<name> runs the action; its job result is in the outbox. */
describe('invoke actions through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
  }, 60_000);
  afterAll(() => controlPlane.close());

  const runAction = async (name: string, event: unknown) => {
    const response = await fetch(`${controlPlane.url}/actions/${name}`, {
      method: 'POST',
      body: JSON.stringify(event),
    });
    return {
      status: response.status,
      body: (await response.json()) as { function: string; result: unknown },
    };
  };

  it('ends the job exactly once with a result the outbox shows', async () => {
    const event = readEvent('actions/change-window/weekday-office-hours.json');
    const { status, body } = await runAction('change-window', event);
    expect(status).toBe(200);
    expect(body.function).toBe('ChangeWindowActionFunction');
    const reports = controlPlane.outbox.entries.filter((call) =>
      /^PutJob(Success|Failure)Result$/.test(call.command),
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.input).toMatchObject({ jobId: 'a1b2c3d4-0000-4000-8000-000000000001' });
  });

  it('fails a job with invalid UserParameters as a ConfigurationError naming the field', async () => {
    controlPlane.outbox.clear();
    await runAction('change-window', readEvent('actions/change-window/invalid-time-zone.json'));
    const [report] = controlPlane.outbox.entries;
    expect(report?.command).toBe('PutJobFailureResult');
    expect(report?.input).toMatchObject({ failureDetails: { type: 'ConfigurationError' } });
  });

  const smokeTest = (url: string) => {
    const event = readEvent('actions/http-smoke-test/two-urls.json') as {
      'CodePipeline.job': {
        id: string;
        data: { actionConfiguration: { configuration: Record<string, string> } };
      };
    };
    const job = event['CodePipeline.job'];
    job.id = crypto.randomUUID();
    job.data.actionConfiguration.configuration.UserParameters = JSON.stringify({
      checks: [{ url, bodyPattern: '"status":\\s*"ok"' }],
      maxAttempts: 1,
    });
    return event;
  };
  const jobResult = (jobId: string) =>
    controlPlane.outbox.entries.find(
      (call) => call.command.startsWith('PutJob') && (call.input as { jobId?: string }).jobId === jobId,
    );

  it("checks the demo's stand-in service on the control plane's own loopback port", async () => {
    const event = smokeTest(`${controlPlane.url}/demo/checkout-service/health`);
    await runAction('http-smoke-test', event);
    expect(jobResult(event['CodePipeline.job'].id)).toMatchObject({
      command: 'PutJobSuccessResult',
      input: { executionDetails: { summary: expect.stringContaining('All 1 smoke checks passed') } },
    });
  });

  it('still refuses every other loopback port, as the deployed function refuses them all', async () => {
    const other = createServer((_request, response) => response.end('{"status":"ok"}'));
    const port = await listenOnLoopback(other);
    try {
      const event = smokeTest(`http://127.0.0.1:${port}/health`);
      await runAction('http-smoke-test', event);
      expect(jobResult(event['CodePipeline.job'].id)?.input).toMatchObject({
        failureDetails: {
          type: 'ConfigurationError',
          message: expect.stringContaining('127.0.0.1 is a loopback address'),
        },
      });
    } finally {
      other.close();
    }
  });

  it('answers 404 for an action that does not exist', async () => {
    expect((await runAction('nope', {})).status).toBe(404);
  });
});

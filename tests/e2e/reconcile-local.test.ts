import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import {
  EXECUTION_ID,
  events,
  finalActionDetails,
  finalExecution,
  finalSummary,
  PIPELINE,
} from '../support/reconcile-scenario';

/** The reconciler end to end through local mode: drop the terminal event, run the reconciler, see it repaired. */
describe('history reconciler through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    // The scenario has fixed dates; look back far enough that it is always inside the first run's window.
    process.env.RECONCILE_INITIAL_LOOKBACK_HOURS = '876000';
    controlPlane = await startLocalControlPlane({ port: 0 });
    // Scripted CodePipeline answers describing the execution's final state, as the real API would.
    controlPlane.outbox.respond('ListPipelineExecutions', () => ({
      pipelineExecutionSummaries: [finalSummary],
    }));
    controlPlane.outbox.respond('GetPipelineExecution', () => ({ pipelineExecution: finalExecution }));
    controlPlane.outbox.respond('ListActionExecutions', () => ({
      actionExecutionDetails: finalActionDetails,
    }));
  }, 60_000);
  afterAll(async () => {
    await controlPlane.close();
    delete process.env.RECONCILE_INITIAL_LOOKBACK_HOURS;
  });

  const execution = async () => {
    const response = await fetch(`${controlPlane.url}/api/pipelines/${PIPELINE}/executions/${EXECUTION_ID}`);
    return ((await response.json()) as { execution: { status?: { status: string }; endTime?: string } })
      .execution;
  };

  it('repairs an execution whose SUCCEEDED event was lost', async () => {
    const lost = events.at(-1);
    await fetch(`${controlPlane.url}/events`, {
      method: 'POST',
      body: JSON.stringify(events.filter((event) => event !== lost)),
    });
    expect((await execution()).status?.status).toBe('STARTED');

    const response = await fetch(`${controlPlane.url}/local/reconcile`, { method: 'POST' });
    expect(response.status).toBe(200);

    expect(await execution()).toMatchObject({
      status: { status: 'SUCCEEDED' },
      endTime: '2026-11-24T10:02:01.000Z',
    });
    expect(controlPlane.outbox.entries.map((call) => call.command)).toContain('ListPipelineExecutions');

    // The "records repaired" figure, through the read API.
    const status = (await (await fetch(`${controlPlane.url}/api/reconcile`)).json()) as {
      repairedTotal: number;
      pipelines: { pipeline: string; repairedTotal: number }[];
    };
    expect(status.repairedTotal).toBeGreaterThanOrEqual(1);
    expect(status.pipelines).toContainEqual(
      expect.objectContaining({ pipeline: PIPELINE, repairedTotal: status.repairedTotal }),
    );
  });
});

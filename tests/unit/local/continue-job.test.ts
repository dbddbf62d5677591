import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runJobToItsEnd } from '../../../local/continue-job';
import { createOutbox } from '../../../local/outbox';

const jobEvent = (id: string) => ({
  'CodePipeline.job': { id, accountId: '111111111111', data: { actionConfiguration: { configuration: {} } } },
});

/** An action that hands the job over `handOvers` times (state: how many times it ran), then ends it. */
function actionHandingOver(outbox: ReturnType<typeof createOutbox>, handOvers: number, jobId: string) {
  const received: unknown[] = [];
  const invoke = async (event: Record<string, unknown>) => {
    received.push(
      (event['CodePipeline.job'] as { data: { continuationToken?: string } }).data.continuationToken,
    );
    const ran = received.length;
    outbox.entries.push({
      id: randomUUID(),
      at: new Date().toISOString(),
      service: 'CodePipeline',
      command: 'PutJobSuccessResult',
      input: { jobId, ...(ran <= handOvers ? { continuationToken: JSON.stringify({ ran }) } : {}) },
    });
    return { attempts: 1, result: { status: ran <= handOvers ? 'continued' : 'succeeded' } };
  };
  return { invoke, received };
}

describe('a continued job in local mode', () => {
  it('is invoked again with each continuation token until a result without one ends it', async () => {
    const outbox = createOutbox();
    const { invoke, received } = actionHandingOver(outbox, 2, 'job-1');
    const run = await runJobToItsEnd(jobEvent('job-1'), invoke, outbox);
    expect(run).toMatchObject({ invocations: 3, result: { status: 'succeeded' } });
    expect(received).toEqual([undefined, '{"ran":1}', '{"ran":2}']);
  });

  it("ignores another job's continuation token", async () => {
    const outbox = createOutbox();
    const { invoke } = actionHandingOver(outbox, 1, 'another-job');
    expect(await runJobToItsEnd(jobEvent('job-1'), invoke, outbox)).toMatchObject({ invocations: 1 });
  });

  it('runs once when nothing records the result (the outbox is off with --aws)', async () => {
    const outbox = createOutbox();
    const run = await runJobToItsEnd(jobEvent('job-1'), async () => ({ attempts: 1 }), outbox);
    expect(run.invocations).toBe(1);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';

const FOLDER = new URL('../../events/codepipeline-v2/', import.meta.url).pathname;
const files = readdirSync(FOLDER)
  .filter((file) => file.endsWith('.json'))
  .sort();
const eventsOf = (file: string) => JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as unknown[];

// What GetPipeline declares for the two sample pipelines, and which sample executions are rollbacks
// (GetPipelineExecution's `executionType`: the events do not say).
const DECLARED: Record<string, { stages: string[]; executionMode: string }> = {
  'v2-shop': { stages: ['Source', 'Build', 'Beta', 'Prod'], executionMode: 'SUPERSEDED' },
  'v2-parallel': { stages: ['Source', 'Prod'], executionMode: 'PARALLEL' },
};
const ROLLBACKS: Record<string, string> = {
  '6f1c2d3e-0a01-4b5c-8d9e-0000000000e1': '6f1c2d3e-0a01-4b5c-8d9e-000000000a01',
  '6f1c2d3e-0a01-4b5c-8d9e-0000000000e2': '6f1c2d3e-0a01-4b5c-8d9e-000000000a01',
};

/**
 * The CodePipeline V2 samples (events/codepipeline-v2/, docs/dora-metrics.md "Case by case") through local
 * mode, in file order: a deployment, an entry-condition FAIL and SKIP of Prod, a rollback of Beta, a failed
 * Prod deploy and the rollback of Prod that restores it; and a PARALLEL pipeline where a later-started
 * execution succeeds before an earlier-started one fails.
 */
describe('CodePipeline V2 sample events through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
    controlPlane.outbox.respond('GetPipeline', (input) => {
      const declared = DECLARED[String(input.name)];
      if (!declared) throw Object.assign(new Error('not found'), { name: 'PipelineNotFoundException' });
      return {
        pipeline: {
          name: input.name,
          version: input.version ?? 3,
          pipelineType: 'V2',
          executionMode: declared.executionMode,
          stages: declared.stages.map((name) => ({ name, actions: [] })),
        },
      };
    });
    controlPlane.outbox.respond('GetPipelineExecution', (input) => {
      const target = ROLLBACKS[String(input.pipelineExecutionId)];
      return {
        pipelineExecution: {
          pipelineName: input.pipelineName,
          pipelineExecutionId: input.pipelineExecutionId,
          artifactRevisions: [],
          executionType: target ? 'ROLLBACK' : 'STANDARD',
          ...(target ? { rollbackMetadata: { rollbackTargetPipelineExecutionId: target } } : {}),
        },
      };
    });
    for (const file of files) {
      const response = await fetch(`${controlPlane.url}/events`, {
        method: 'POST',
        body: JSON.stringify(eventsOf(file)),
      });
      expect(response.status, file).toBe(200);
    }
  }, 90_000);
  afterAll(() => controlPlane.close());

  it('records every sample without an error or a rejection', async () => {
    const response = await fetch(`${controlPlane.url}/events`, {
      method: 'POST',
      body: JSON.stringify(files.flatMap(eventsOf)),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain('"rejected"');
    expect(text).not.toContain('"error"');
  });

  it('reads the declared stages with GetPipeline in the pipeline account and region', () => {
    const reads = controlPlane.outbox.entries.filter((call) => call.command === 'GetPipeline');
    expect(new Set(reads.map((call) => (call.input as { name: string }).name))).toEqual(
      new Set(['v2-shop', 'v2-parallel']),
    );
    for (const call of reads) expect([call.account, call.region]).toEqual(['123456789012', 'us-east-1']);
  });

  it('counts each case as docs/dora-metrics.md defines it', async () => {
    const response = await fetch(
      `${controlPlane.url}/api/metrics/dora?from=2026-11-19T00:00:00Z&to=2026-11-23T00:00:00Z&bucket=day`,
    );
    expect(response.status).toBe(200);
    const { pipelines } = (await response.json()) as { pipelines: Record<string, unknown>[] };
    const byName = Object.fromEntries(pipelines.map((entry) => [entry.pipeline, entry]));
    // Only the first execution deployed: the SKIP, the gate, the rollbacks and the failed deploy did not.
    // The failed deploy is its change failure (not the gate, not the rollback of Beta), restored 30 minutes
    // later by the rollback of Prod.
    expect(byName['v2-shop']).toMatchObject({
      productionStage: 'Prod',
      deployments: 1,
      changeFailures: 1,
      gateBlocks: 1,
      unrestoredFailures: 0,
      timeToRestore: { count: 1, median: 1800 },
    });
    // B (started later) deployed; A (started earlier) then failed: B is no change failure.
    expect(byName['v2-parallel']).toMatchObject({
      productionStage: 'Prod',
      deployments: 1,
      changeFailures: 0,
      gateBlocks: 0,
    });
  });
});

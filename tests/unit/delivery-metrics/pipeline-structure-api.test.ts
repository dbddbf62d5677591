import type { CodePipelineClient, GetPipelineCommand } from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import { pipelineStructureApi } from '../../../functions/delivery-metrics/adapters/pipeline-structure-api';
import type { ClientScope } from '../../../functions/platform/aws-clients';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** GetPipeline as CodePipeline answers it, per scope, with the calls it received. */
function fakeCodePipeline(answer: (input: { name?: string; version?: number }) => unknown) {
  const calls: { scope: ClientScope; input: { name?: string; version?: number } }[] = [];
  const clientFor = (scope: ClientScope) =>
    ({
      send: async (command: GetPipelineCommand) => {
        calls.push({ scope, input: command.input });
        return answer(command.input);
      },
    }) as unknown as CodePipelineClient;
  return { calls, clientFor };
}

const declaration = (version: number, stages: string[], executionMode?: string) => ({
  pipeline: {
    name: 'shop',
    version,
    ...(executionMode ? { executionMode } : {}),
    stages: stages.map((name) => ({ name })),
  },
});

describe('pipelineStructureApi (GetPipeline)', () => {
  const shop = { account: '222233334444', region: 'eu-west-1', pipeline: 'shop' };

  it('reads the version in the pipeline account and region, once per version', async () => {
    const api = fakeCodePipeline((input) =>
      declaration(input.version ?? 3, ['Source', 'Build', 'Prod'], 'PARALLEL'),
    );
    const source = pipelineStructureApi({ clientFor: api.clientFor });
    expect(await source.structureOf(shop, 2)).toEqual({
      stages: ['Source', 'Build', 'Prod'],
      executionMode: 'PARALLEL',
    });
    await source.structureOf(shop, 2);
    expect(api.calls).toEqual([
      { scope: { account: '222233334444', region: 'eu-west-1' }, input: { name: 'shop', version: 2 } },
    ]);
    // Another account's pipeline of the same name is another pipeline.
    await source.structureOf({ ...shop, account: '555566667777' }, 2);
    expect(api.calls).toHaveLength(2);
  });

  it('treats a V1 pipeline (no execution mode) as SUPERSEDED', async () => {
    const source = pipelineStructureApi({
      clientFor: fakeCodePipeline(() => declaration(1, ['Source', 'Prod'])).clientFor,
    });
    expect(await source.structureOf(shop, 1)).toEqual({
      stages: ['Source', 'Prod'],
      executionMode: 'SUPERSEDED',
    });
  });

  it('falls back to the current declaration when the version is gone, and to nothing when the pipeline is', async () => {
    const api = fakeCodePipeline((input) => {
      if (input.name === 'deleted') throw named('PipelineNotFoundException');
      if (input.version !== undefined) throw named('PipelineVersionNotFoundException');
      return declaration(9, ['Source', 'Deploy']);
    });
    const source = pipelineStructureApi({ clientFor: api.clientFor });
    expect(await source.structureOf(shop, 1)).toMatchObject({ stages: ['Source', 'Deploy'] });
    expect(await source.structureOf({ ...shop, pipeline: 'deleted' }, 1)).toBeUndefined();
  });

  it('throws what a retry may fix (throttling), so the caller decides', async () => {
    const source = pipelineStructureApi({
      clientFor: fakeCodePipeline(() => {
        throw named('ThrottlingException');
      }).clientFor,
    });
    await expect(source.structureOf(shop, 1)).rejects.toThrow('ThrottlingException');
  });

  it('answers a failed read with the same error for a while instead of calling again', async () => {
    let now = 0;
    const api = fakeCodePipeline(() => {
      throw named('AccessDeniedException');
    });
    const source = pipelineStructureApi({ clientFor: api.clientFor, failureTtlMs: 1_000, now: () => now });
    await expect(source.structureOf(shop, 1)).rejects.toThrow('AccessDeniedException');
    await expect(source.structureOf(shop, 1)).rejects.toThrow('AccessDeniedException');
    expect(api.calls).toHaveLength(1);
    now = 1_001;
    await expect(source.structureOf(shop, 1)).rejects.toThrow('AccessDeniedException');
    expect(api.calls).toHaveLength(2);
  });

  it('trusts the current version only for a while, since the pipeline may be updated', async () => {
    let now = 0;
    const api = fakeCodePipeline(() => declaration(1, ['Source', 'Prod']));
    const source = pipelineStructureApi({
      clientFor: api.clientFor,
      currentVersionTtlMs: 1_000,
      now: () => now,
    });
    await source.structureOf(shop, undefined);
    await source.structureOf(shop, undefined);
    now = 1_001;
    await source.structureOf(shop, undefined);
    expect(api.calls).toHaveLength(2);
  });

  it('trusts the current declaration standing in for a lost version only for a while too', async () => {
    let now = 0;
    let current = declaration(9, ['Source', 'Deploy']);
    const api = fakeCodePipeline((input) => {
      if (input.version !== undefined) throw named('PipelineVersionNotFoundException');
      return current;
    });
    const source = pipelineStructureApi({
      clientFor: api.clientFor,
      currentVersionTtlMs: 1_000,
      now: () => now,
    });
    expect(await source.structureOf(shop, 1)).toMatchObject({ stages: ['Source', 'Deploy'] });
    current = declaration(10, ['Source', 'Build', 'Deploy']);
    now = 1_001;
    expect(await source.structureOf(shop, 1)).toMatchObject({ stages: ['Source', 'Build', 'Deploy'] });
  });
});

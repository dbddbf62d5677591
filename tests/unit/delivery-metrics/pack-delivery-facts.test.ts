import { describe, expect, it } from 'vitest';
import { packDeliveryFacts } from '../../../functions/delivery-metrics/pack-delivery-facts/pack-delivery-facts';

const pipeline = (name: string) => ({ account: '222222222222', region: 'eu-west-1', pipeline: name });

describe('packDeliveryFacts: one run of the daily packer', () => {
  it('packs every catalogued pipeline, adds up what was done, and goes on past a pipeline that fails', async () => {
    const failures: string[] = [];
    const packed: string[] = [];
    const outcome = await packDeliveryFacts({
      pipelines: async () => ['a', 'b', 'broken', 'c'].map(pipeline),
      packer: {
        pack: async ({ pipeline: name }) => {
          if (name === 'broken') throw new Error('throttled');
          packed.push(name);
          return { packedItemsWritten: 1, liveFacts: 10, expiriesShortened: name === 'a' ? 3 : 0 };
        },
      },
      onPipelineFailed: ({ pipeline: name }, error) => failures.push(`${name}: ${error.message}`),
    });

    expect(outcome).toEqual({
      pipelines: 4,
      packedItemsWritten: 3,
      liveFacts: 30,
      expiriesShortened: 3,
      failed: [pipeline('broken')],
    });
    expect(packed.sort()).toEqual(['a', 'b', 'c']);
    expect(failures).toEqual(['broken: throttled']);
  });

  it('does nothing for an empty catalog', async () => {
    const outcome = await packDeliveryFacts({
      pipelines: async () => [],
      packer: {
        pack: async () => {
          throw new Error('not called');
        },
      },
      onPipelineFailed: () => {
        throw new Error('not called');
      },
    });
    expect(outcome).toEqual({
      pipelines: 0,
      packedItemsWritten: 0,
      liveFacts: 0,
      expiriesShortened: 0,
      failed: [],
    });
  });
});

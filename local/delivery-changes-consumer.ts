import type { DeliveryChangeDependencies } from '../functions/delivery-metrics/record-delivery-change';
import { recordDeliveryChange } from '../functions/delivery-metrics/record-delivery-change';
import {
  batchResponseOf,
  recordDeliveryChanges,
} from '../functions/delivery-metrics/record-delivery-changes/record-delivery-changes';
import type { HistoryStore } from '../functions/history/adapters/history-store';
import { parseStreamChanges } from '../functions/platform/dynamodb/stream-changes';
import { streamSourceOf } from '../tooling/template';
import type { StreamConsumer } from './stream-delivery';

/**
 * record-delivery-changes' own batch path (parse, read each execution once, fact and metrics, the batch's
 * answer) over a store and dependencies the caller gives, with the template's stream source: how tests and the
 * bench feed it from the stream stand-in without the handler's environment.
 */
export function deliveryChangesConsumer(
  store: Pick<HistoryStore, 'executionAroundChanges'>,
  deps: DeliveryChangeDependencies,
): StreamConsumer {
  return {
    source: streamSourceOf('RecordDeliveryChangesFunction'),
    handler: async (event) =>
      batchResponseOf(
        await recordDeliveryChanges(parseStreamChanges(event).changes, {
          executionAround: (execution, itemsBefore) => store.executionAroundChanges(execution, itemsBefore),
          recordChange: (change) => recordDeliveryChange(deps, change),
        }),
      ),
  };
}

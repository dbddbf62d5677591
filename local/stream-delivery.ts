import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type EventPattern, matchesPattern } from '../tooling/event-pattern';
import type { StreamSourceDefinition } from '../tooling/template';
import type { TableStream } from './table-stream';

export interface StreamConsumer {
  source: StreamSourceDefinition;
  handler: (event: { Records: DynamoDBRecord[] }) => Promise<DynamoDBBatchResponse | undefined>;
}

export interface StreamDelivery {
  /** Delivers every pending change, batch by batch, until none is left (and retried batches are done). */
  drain(): Promise<void>;
  /** Batches given up after their retries, as Lambda's on-failure destination would keep them. */
  readonly failed: { records: DynamoDBRecord[]; error: string }[];
}

/**
 * Lambda's DynamoDB event source mapping, in process: changes that match none of the source's filters are
 * dropped (Lambda filters before batching), the rest go to the consumer in batches of its batch size. A batch
 * that throws is retried whole; one that reports `batchItemFailures` is retried from the lowest reported
 * record (ReportBatchItemFailures), up to the source's MaximumRetryAttempts, then kept in `failed`.
 */
export function createStreamDelivery(
  stream: TableStream,
  consumers: readonly StreamConsumer[],
): StreamDelivery {
  const failed: StreamDelivery['failed'] = [];
  let chain: Promise<void> = Promise.resolve();

  async function deliver(consumer: StreamConsumer, batch: DynamoDBRecord[]): Promise<void> {
    let records = batch;
    const attempts = 1 + (consumer.source.maximumRetryAttempts ?? 2);
    let lastError = '';
    for (let attempt = 0; attempt < attempts && records.length; attempt++) {
      try {
        const answer = await consumer.handler({ Records: records });
        const failures = answer?.batchItemFailures ?? [];
        if (!failures.length) return;
        const sequenceNumbers = new Set(failures.map((failure) => failure.itemIdentifier));
        const from = records.findIndex((record) =>
          sequenceNumbers.has(record.dynamodb?.SequenceNumber ?? ''),
        );
        lastError = `batch item failure at ${[...sequenceNumbers].join(', ')}`;
        // An identifier that names no record of the batch fails the whole batch, as Lambda treats it.
        records = from < 0 ? records : records.slice(from);
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    if (records.length) failed.push({ records, error: lastError });
  }

  async function drainAll(): Promise<void> {
    while (stream.pending) {
      const changes = stream.take(Number.MAX_SAFE_INTEGER);
      for (const consumer of consumers) {
        const wanted = changes.filter(
          (record) =>
            !consumer.source.filters.length ||
            consumer.source.filters.some((filter) => matchesPattern(filter as EventPattern, record)),
        );
        for (let start = 0; start < wanted.length; start += consumer.source.batchSize) {
          await deliver(consumer, wanted.slice(start, start + consumer.source.batchSize));
        }
      }
    }
  }

  return {
    failed,
    drain() {
      // One drain at a time, in stream order; a caller that arrives mid-drain waits for it and then drains more.
      const next = chain.then(drainAll);
      chain = next.catch(() => undefined);
      return next;
    },
  };
}

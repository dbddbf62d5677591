import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { describeIssues } from '#platform/errors';

type Item = Record<string, unknown>;

/** One item change of a DynamoDB stream (view type NEW_AND_OLD_IMAGES), its images as plain items. */
export interface StreamChange {
  sequenceNumber: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: { pk: string; sk: string };
  oldItem?: Item;
  newItem?: Item;
}

const image = z.record(
  z.string(),
  z.custom<AttributeValue>((value) => typeof value === 'object' && value !== null),
);

const streamRecord = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    SequenceNumber: z.string().check(z.minLength(1)),
    Keys: z.object({ pk: z.object({ S: z.string() }), sk: z.object({ S: z.string() }) }),
    NewImage: z.optional(image),
    OldImage: z.optional(image),
  }),
});

const streamEvent = z.object({ Records: z.array(z.unknown()) });

/**
 * The changes of a Lambda DynamoDB stream batch, in stream order, and the records that are not changes of this
 * table's items (each with why). A record no retry can fix is reported, never retried: the batch goes on.
 */
export function parseStreamChanges(event: unknown): {
  changes: StreamChange[];
  malformed: { index: number; reason: string }[];
} {
  const batch = streamEvent.safeParse(event);
  if (!batch.success)
    return { changes: [], malformed: [{ index: -1, reason: describeIssues(batch.error.issues) }] };
  const changes: StreamChange[] = [];
  const malformed: { index: number; reason: string }[] = [];
  for (const [index, raw] of batch.data.Records.entries()) {
    const parsed = streamRecord.safeParse(raw);
    if (!parsed.success) {
      malformed.push({ index, reason: describeIssues(parsed.error.issues) });
      continue;
    }
    const { eventName, dynamodb } = parsed.data;
    try {
      changes.push({
        sequenceNumber: dynamodb.SequenceNumber,
        eventName,
        keys: { pk: dynamodb.Keys.pk.S, sk: dynamodb.Keys.sk.S },
        ...(dynamodb.OldImage ? { oldItem: unmarshall(dynamodb.OldImage) as Item } : {}),
        ...(dynamodb.NewImage ? { newItem: unmarshall(dynamodb.NewImage) as Item } : {}),
      });
    } catch (error) {
      // An attribute value of no DynamoDB type: no retry makes it one.
      malformed.push({
        index,
        reason: `an image is not DynamoDB attribute values: ${(error as Error).message}`,
      });
    }
  }
  return { changes, malformed };
}

import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, inject, it } from 'vitest';
import { createHistoryTable, localDynamoClient } from '../../../local/dynamo-engine';
import { createStreamDelivery } from '../../../local/stream-delivery';
import { startTableStream } from '../../../local/table-stream';
import { streamSourceOf } from '../../../tooling/template';

async function streamedTable() {
  const stream = await startTableStream(inject('dynamoEndpoint'));
  const tableName = `stream-${randomUUID()}`;
  await createHistoryTable(stream.endpoint, tableName);
  const raw = localDynamoClient(stream.endpoint);
  return { stream, tableName, raw, client: DynamoDBDocumentClient.from(raw) };
}

const images = (record: DynamoDBRecord) => ({
  eventName: record.eventName,
  keys: unmarshall(record.dynamodb?.Keys as never),
  old: record.dynamodb?.OldImage && unmarshall(record.dynamodb.OldImage as never),
  new: record.dynamodb?.NewImage && unmarshall(record.dynamodb.NewImage as never),
});

describe('the local stream stand-in (in front of dynalite)', () => {
  it('records an insert, a change and a removal with their images, and nothing for a write that changes nothing', async () => {
    const { stream, tableName, client } = await streamedTable();
    const key = { pk: 'EXECUTION#1#r#p#e', sk: 'HEADER' };
    await client.send(new PutCommand({ TableName: tableName, Item: { ...key, n: 1 } }));
    const setN = (n: number) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': n },
        }),
      );
    await setN(2);
    // The same value again: DynamoDB writes no stream record for a write that changes nothing.
    await setN(2);
    await client
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET n = :n',
          ConditionExpression: 'n = :old',
          ExpressionAttributeValues: { ':n': 3, ':old': 1 },
        }),
      )
      .catch((error: Error) => expect(error.name).toBe('ConditionalCheckFailedException'));
    await client.send(new DeleteCommand({ TableName: tableName, Key: key }));
    const records = stream.take(100);
    expect(records.map(images)).toEqual([
      { eventName: 'INSERT', keys: key, old: undefined, new: { ...key, n: 1 } },
      { eventName: 'MODIFY', keys: key, old: { ...key, n: 1 }, new: { ...key, n: 2 } },
      { eventName: 'REMOVE', keys: key, old: { ...key, n: 2 }, new: undefined },
    ]);
    const sequence = records.map((record) => record.dynamodb?.SequenceNumber ?? '');
    expect([...sequence].sort()).toEqual(sequence);
    expect(records[0]?.eventSourceARN).toContain(`table/${tableName}/stream/`);
    expect(stream.pending).toBe(0);
    await stream.close();
  });

  it('chains the images of concurrent writes to one item, as DynamoDB serialises them', async () => {
    const { stream, tableName, client } = await streamedTable();
    const key = { pk: 'EXECUTION#1#r#p#e', sk: 'STAGE#Build' };
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'ADD seen :one',
            ExpressionAttributeValues: { ':one': new Set([`w${index}`]) },
          }),
        ),
      ),
    );
    const records = stream.take(100).map(images);
    expect(records).toHaveLength(20);
    for (const [index, record] of records.entries()) {
      expect((record.new?.seen as Set<string> | undefined)?.size).toBe(index + 1);
      if (index > 0) expect(record.old).toEqual(records[index - 1]?.new);
    }
    await stream.close();
  });

  it('refuses a batch write by name (it cannot image one), and passes writes through unrecorded when told', async () => {
    const { stream, tableName, raw, client } = await streamedTable();
    await expect(
      raw.send(
        new BatchWriteItemCommand({
          RequestItems: { [tableName]: [{ PutRequest: { Item: { pk: { S: 'a' }, sk: { S: 'b' } } } }] },
        }),
      ),
    ).rejects.toThrow(/not supported by the local stream stand-in/);
    stream.capturing = false;
    await client.send(new PutCommand({ TableName: tableName, Item: { pk: 'a', sk: 'b' } }));
    expect(stream.pending).toBe(0);
    await stream.close();
  });
});

describe("the local stream's delivery (Lambda's event source mapping)", () => {
  const source = streamSourceOf('RecordDeliveryChangesFunction');

  it("delivers what the template's filter lets through (execution items written), in batches of its size", async () => {
    const { stream, tableName, client } = await streamedTable();
    const batches: DynamoDBRecord[][] = [];
    const delivery = createStreamDelivery(stream, [
      {
        source: { ...source, batchSize: 2 },
        handler: async (event) => {
          batches.push(event.Records);
          return { batchItemFailures: [] };
        },
      },
    ]);
    const put = (pk: string, sk: string) =>
      client.send(new PutCommand({ TableName: tableName, Item: { pk, sk } }));
    await put('EXECUTION#1#r#p#e1', 'HEADER');
    await put('DORA#1#r#p', 'DAY#2026-11-20#e1');
    await put('DEPLOYMENT#1#r#d-1', 'DEPLOYMENT');
    await put('EXECUTION#1#r#p#e1', 'STAGE#Build');
    await put('EXECUTION#1#r#p#e2', 'HEADER');
    await client.send(
      new DeleteCommand({ TableName: tableName, Key: { pk: 'EXECUTION#1#r#p#e2', sk: 'HEADER' } }),
    );
    await delivery.drain();
    expect(
      batches.map((batch) => batch.map((record) => unmarshall(record.dynamodb?.Keys as never).sk)),
    ).toEqual([['HEADER', 'STAGE#Build'], ['HEADER']]);
    await stream.close();
  });

  it('retries a batch from the record it reports, and keeps a batch that fails every attempt', async () => {
    const { stream, tableName, client } = await streamedTable();
    const seen: string[][] = [];
    let failures = 0;
    const delivery = createStreamDelivery(stream, [
      {
        source: { ...source, maximumRetryAttempts: 2 },
        handler: async (event) => {
          const ids = event.Records.map((record) => String(unmarshall(record.dynamodb?.Keys as never).sk));
          seen.push(ids);
          if (ids.includes('STAGE#Poison')) throw new Error('always');
          const second = event.Records[1];
          if (second && failures++ === 0)
            return { batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber ?? '' }] };
          return { batchItemFailures: [] };
        },
      },
    ]);
    for (const sk of ['HEADER', 'STAGE#A', 'STAGE#B'])
      await client.send(new PutCommand({ TableName: tableName, Item: { pk: 'EXECUTION#1#r#p#e', sk } }));
    await delivery.drain();
    expect(seen).toEqual([
      ['HEADER', 'STAGE#A', 'STAGE#B'],
      ['STAGE#A', 'STAGE#B'],
    ]);
    await client.send(
      new PutCommand({ TableName: tableName, Item: { pk: 'EXECUTION#1#r#p#e', sk: 'STAGE#Poison' } }),
    );
    await delivery.drain();
    expect(seen.slice(2)).toEqual([['STAGE#Poison'], ['STAGE#Poison'], ['STAGE#Poison']]);
    expect(delivery.failed.map((failed) => [failed.records.length, failed.error])).toEqual([[1, 'always']]);
    await stream.close();
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryStore } from '../../../functions/history/adapters/history-store';
import { recordEvent } from '../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { type DynamoEngine, localDynamoClient } from '../../../local/dynamo-engine';
import { startDynamoDbLocal } from '../../../local/dynamodb-local';
import { startTableStream, type TableStream } from '../../../local/table-stream';
import { loadTemplate, tableDefinition } from '../../../tooling/template';
import { demoScenario } from '../../support/events';
import { fixedExecutionDetails } from '../../support/recorder';

const jar = join(
  process.env.DYNAMODB_LOCAL_DIR ??
    join(process.cwd(), 'node_modules', 'amplify-dynamodb-simulator', 'emulator'),
  'DynamoDBLocal.jar',
);
const haveDynamoDbLocal = existsSync(jar);
if (!haveDynamoDbLocal)
  console.warn(
    'NOTICE: the stream stand-in was not compared with DynamoDB Local (npm install --no-save amplify-dynamodb-simulator)',
  );

type Change = { eventName?: string; keys: unknown; old?: unknown; new?: unknown };
const imagesOf = (record: { eventName?: string; dynamodb?: Record<string, unknown> }): Change => {
  const images = record.dynamodb as { Keys?: object; OldImage?: object; NewImage?: object };
  return {
    eventName: record.eventName,
    keys: unmarshall(images.Keys as never),
    ...(images.OldImage ? { old: unmarshall(images.OldImage as never) } : {}),
    ...(images.NewImage ? { new: unmarshall(images.NewImage as never) } : {}),
  };
};

/**
 * The stand-in's records against DynamoDB's own: the recorder writes the demo's first executions through the
 * stand-in into DynamoDB Local, whose table has a real stream; both must tell the same changes, in the same
 * order, with the same images (none for a write that changed nothing). Runs where DynamoDB Local is installed.
 */
describe.skipIf(!haveDynamoDbLocal)("the stream stand-in against DynamoDB Local's stream", () => {
  let engine: DynamoEngine;
  let stream: TableStream;
  beforeAll(async () => {
    engine = await startDynamoDbLocal();
    stream = await startTableStream(engine.endpoint);
  }, 90_000);
  afterAll(async () => {
    await stream?.close();
    await engine?.close();
  });

  it('emits the records DynamoDB Streams emits for the same writes', { timeout: 90_000 }, async () => {
    const tableName = 'stream-fidelity';
    const raw = localDynamoClient(engine.endpoint);
    await raw.send(
      new CreateTableCommand({
        TableName: tableName,
        ...tableDefinition(loadTemplate()),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      } as CreateTableCommandInput),
    );
    const client = DynamoDBDocumentClient.from(localDynamoClient(stream.endpoint), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const store = createHistoryStore({ client, tableName, retentionDays: 400 });
    const { events } = demoScenario();
    // The first executions' events, each twice: a redelivery changes nothing and must leave no record.
    const executions = new Set<unknown>();
    for (const event of events) {
      const id = (event.detail as Record<string, unknown>)?.['execution-id'];
      if (executions.size < 3 || executions.has(id)) {
        if (id) executions.add(id);
        for (let twice = 0; twice < 2; twice++) {
          await recordEvent(parseRecorderEvent(event), {
            store,
            fetchExecutionDetails: fixedExecutionDetails(),
            warn: () => {},
          });
        }
      }
    }
    const standIn = stream
      .take(Number.MAX_SAFE_INTEGER)
      .map((record: DynamoDBRecord) => imagesOf(record as never));

    const { Table } = await raw.send(new DescribeTableCommand({ TableName: tableName }));
    const streams = new DynamoDBStreamsClient({
      endpoint: engine.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
    );
    const real: _Record[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: Table?.LatestStreamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        real.push(...(page.Records ?? []));
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    expect(standIn.length).toBeGreaterThan(20);
    expect(real.map((record) => imagesOf(record as never))).toEqual(standIn);
    streams.destroy();
    raw.destroy();
  });
});

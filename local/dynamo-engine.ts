import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { loadTemplate, tableDefinition } from '../tooling/template';

export interface DynamoEngine {
  endpoint: string;
  close(): Promise<void>;
}

/** An in-process DynamoDB (dynalite, in memory): a real engine, no Docker, no AWS account. */
export async function startDynamoEngine(port = 0): Promise<DynamoEngine> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${boundPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A client for a local engine; dynalite accepts any credentials. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates the table exactly as template.yaml declares it, so tests exercise the deployed key schema. */
export async function createHistoryTable(endpoint: string, tableName: string): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        ...tableDefinition(loadTemplate()),
      } as CreateTableCommandInput),
    );
  } finally {
    client.destroy();
  }
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoEngine, localDynamoClient } from './dynamo-engine';
import { listenOnLoopback } from './loopback';

/** Where the jar is unless DYNAMODB_LOCAL_DIR says: `npm install --no-save amplify-dynamodb-simulator` puts it here. */
const DEFAULT_DIR = join(process.cwd(), 'node_modules', 'amplify-dynamodb-simulator', 'emulator');

/**
 * AWS's own DynamoDB Local (Java 17+), in memory on a free loopback port: the same suite on the official engine,
 * for what dynalite might accept and DynamoDB would not. Opt in with DYNAMODB_ENGINE=dynamodb-local.
 */
export async function startDynamoDbLocal(
  dir = process.env.DYNAMODB_LOCAL_DIR ?? DEFAULT_DIR,
): Promise<DynamoEngine> {
  const jar = join(dir, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) {
    throw new Error(
      `DynamoDB Local not found at ${jar}: run \`npm install --no-save amplify-dynamodb-simulator\` (about 65 MB, needs Java 17+) or set DYNAMODB_LOCAL_DIR to the folder holding DynamoDBLocal.jar`,
    );
  }
  const port = await freePort();
  const java = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      jar,
      '-inMemory',
      // One database whatever the credentials and region, like dynalite (tests and handlers sign differently).
      '-sharedDb',
      // No telemetry from test runs (DynamoDB Local sends it by default).
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    // Its working directory gets a dynamodb-local-metadata.json: keep that out of the repository.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: tmpdir() },
  );
  let stderr = '';
  java.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (java.exitCode !== null) throw new Error(`DynamoDB Local exited with ${java.exitCode}: ${stderr}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within 60 s: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } catch (error) {
    java.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    close: async () => {
      if (java.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => java.once('exit', () => resolve()));
      java.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

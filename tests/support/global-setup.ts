import type { TestProject } from 'vitest/node';
import { startDynamoEngine } from '../../local/dynamo-engine';
import { startDynamoDbLocal } from '../../local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/**
 * One DynamoDB engine for the whole run; each test file creates its own table (tests/support/dynamo.ts).
 * dynalite in process by default; DYNAMODB_ENGINE=dynamodb-local runs the same tests on AWS's DynamoDB Local.
 */
export default async function setup(project: TestProject) {
  const engine =
    process.env.DYNAMODB_ENGINE === 'dynamodb-local' ? await startDynamoDbLocal() : await startDynamoEngine();
  console.info(
    `DynamoDB engine for this run: ${process.env.DYNAMODB_ENGINE === 'dynamodb-local' ? 'DynamoDB Local' : 'dynalite'}`,
  );
  project.provide('dynamoEndpoint', engine.endpoint);
  return () => engine.close();
}

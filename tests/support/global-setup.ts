import type { TestProject } from 'vitest/node';
import { startDynamoEngine } from '../../local/dynamo-engine';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One dynalite for the whole run; each test file creates its own table (tests/support/dynamo.ts). */
export default async function setup(project: TestProject) {
  const engine = await startDynamoEngine();
  project.provide('dynamoEndpoint', engine.endpoint);
  return () => engine.close();
}

import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config';

/**
 * The suite's config for mutation runs: unit tests only need no DynamoDB engine, and Stryker already runs
 * one vitest per core, so each run keeps to one worker without isolation to start as fast as it can.
 */
export default mergeConfig(
  { ...base, test: { ...base.test, globalSetup: [] } },
  defineConfig({ test: { maxWorkers: 1, isolate: false, reporters: ['dot'] } }),
);

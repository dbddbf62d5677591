import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 20_000,
    // Most suites wait on I/O (a DynamoDB engine, loopback servers, child processes), so more workers than
    // cores shortens the run on CI's two cores.
    maxWorkers: 4,
    hookTimeout: 60_000,
    // Handlers read these at import; nothing in the suite may reach a real AWS account.
    env: {
      AWS_REGION: 'us-east-1',
      // The hub's own account: the account of the sample events (tests/support/pipeline-events.ts).
      HUB_ACCOUNT_ID: '123456789012',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_LAMBDA_LOG_LEVEL: 'SILENT',
    },
  },
});

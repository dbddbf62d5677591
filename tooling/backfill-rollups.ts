/**
 * `npm run backfill-rollups`: files a DORA fact for every execution a stack recorded before the rollups
 * existed, so GET /metrics/dora (which reads only the rollups) counts them. Scans the execution headers (and
 * pre-upgrade single-item executions), assembles each execution and writes its fact through the delivery-metrics
 * fact writer, which never replaces a newer fact: safe to run again, and while the recorder is running.
 */

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDeliveryFactsStore } from '../functions/delivery-metrics/adapters/delivery-facts-store';
import { factWriteFor } from '../functions/delivery-metrics/domain/fact-write';
import { createHistoryStore } from '../functions/history/adapters/history-store';
import { hubScopeFromEnvironment } from '../functions/platform/hub-scope';

const HELP = `Usage: npm run backfill-rollups -- --table <HistoryTable name> [options]

Writes the DORA daily rollup fact of every recorded execution (for history recorded before the rollups
existed). Idempotent: a fact is never replaced by an older one, so it is safe to run again or while the
recorder runs. Uses the default AWS credentials and region (AWS_REGION / AWS_PROFILE).

Options:
  --table <name>                the stack's HistoryTable (default: $TABLE_NAME)
  --production-stages <json>    the stack's ProductionStages parameter, e.g. '{"orders":"Prod"}' (default: {})
  --retention-days <n>          the stack's HistoryRetentionDays (rollup items expire with it; default 400)
  --endpoint <url>              another DynamoDB endpoint (a local engine)
  --dry-run                     count what would be written, write nothing
  -h, --help                    this text

The hub's account (HUB_ACCOUNT_ID, else the caller's default 000000000000) names executions recorded before
account and region were part of the history's keys.
`;

export interface BackfillOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
  productionStages: Record<string, string>;
  dryRun: boolean;
  progress: (message: string) => void;
}

export interface BackfillSummary {
  executions: number;
  factsWritten: number;
  /** Headers whose execution had no events to assemble (nothing to file). */
  skipped: number;
}

export async function backfillRollups(options: BackfillOptions): Promise<BackfillSummary> {
  const { client, tableName, retentionDays } = options;
  const store = createHistoryStore({ client, tableName, retentionDays, hub: hubScopeFromEnvironment() });
  const facts = createDeliveryFactsStore({ client, tableName, retentionDays });
  const summary: BackfillSummary = { executions: 0, factsWritten: 0, skipped: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        // Headers of the item-per-action layout, and pre-upgrade executions kept whole in one item.
        FilterExpression: 'itemType = :execution AND (sk = :header OR begins_with(sk, :legacy))',
        ProjectionExpression: 'pk, sk, account, #region, pipeline, executionId',
        ExpressionAttributeNames: { '#region': 'region' },
        ExpressionAttributeValues: { ':execution': 'execution', ':header': 'HEADER', ':legacy': 'EXEC#' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      summary.executions++;
      const pipeline = String(item.pipeline);
      const ref =
        item.account && item.region
          ? { account: String(item.account), region: String(item.region), pipeline }
          : pipeline;
      const record = await store.getExecution(ref, String(item.executionId));
      const write =
        record &&
        factWriteFor(
          undefined,
          record,
          // No GetPipeline here: without a configured stage the fact keeps every candidate stage, as the recorder
          // does when the declaration cannot be read.
          { productionStage: options.productionStages[pipeline] },
          true,
        );
      if (!write) {
        summary.skipped++;
        continue;
      }
      if (!options.dryRun) await facts.write(write);
      summary.factsWritten++;
    }
    startKey = page.LastEvaluatedKey;
    options.progress(
      `${summary.executions} executions read, ${summary.factsWritten} facts ${options.dryRun ? 'to write' : 'written'}`,
    );
  } while (startKey);
  return summary;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string', default: process.env.TABLE_NAME },
      'production-stages': { type: 'string', default: '{}' },
      'retention-days': { type: 'string', default: '400' },
      endpoint: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.table) throw new Error('--table is required (or set TABLE_NAME); see --help');
  const productionStages = JSON.parse(values['production-stages'] ?? '{}') as Record<string, string>;
  const retentionDays = Number(values['retention-days']);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error('--retention-days must be a positive whole number of days');
  }
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient(values.endpoint ? { endpoint: values.endpoint } : {}),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const summary = await backfillRollups({
    client,
    tableName: values.table,
    retentionDays,
    productionStages,
    dryRun: values['dry-run'] ?? false,
    progress: (message) => process.stderr.write(`backfill-rollups: ${message}\n`),
  });
  console.info(JSON.stringify({ ...summary, dryRun: values['dry-run'] ?? false }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`backfill-rollups failed: ${(error as Error).message}`);
    process.exit(1);
  });
}

import { randomUUID } from 'node:crypto';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { localDynamoClient } from '../../../local/dynamo-engine';
import { loadTemplate, tableDefinition } from '../../../tooling/template';
import { TEST_HUB } from '../../support/dynamo';

/**
 * An upgrade from 0.1.x deploys twice (docs/deploy.md): first with KeepIndexGSI1=true, the table holding GSI1
 * (every attribute) beside OwnerTime while DynamoDB fills OwnerTime, and every function reading GSI1 because
 * the template sets OWNER_TIME_INDEX so; then without it. The stores read whichever index that variable names,
 * with the same answers.
 */
describe('the OwnerTime index upgrade (KeepIndexGSI1)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each(['GSI1', 'OwnerTime'])('lists executions, deployments and approvals reading %s', async (index) => {
    const table = await tableDuringUpgrade();
    vi.stubEnv('OWNER_TIME_INDEX', index);
    vi.resetModules();
    const { INDEX } = await import('../../../functions/platform/dynamodb/table-layout');
    const { createHistoryStore } = await import('../../../functions/history/adapters/history-store');
    const { createApprovalStore } = await import('../../../functions/approvals/adapters/approval-store');
    expect(INDEX.byOwnerTime).toBe(index);
    const history = createHistoryStore({ ...table, retentionDays: 400, hub: TEST_HUB });
    const approvals = createApprovalStore({ ...table, hub: TEST_HUB });

    const at = '2026-11-24T10:00:00.000Z';
    await history.recordObservation({
      kind: 'pipeline',
      pipeline: 'orders',
      executionId: 'e-1',
      at,
      startTime: at,
      status: { status: 'SUCCEEDED', statusAt: at, attempt: 1 },
    });
    await history.recordRun({
      kind: 'deployment',
      runId: 'd-1',
      at,
      status: { status: 'SUCCESS', statusAt: at, attempt: 1 },
      attributes: { application: 'checkout', deploymentGroup: 'prod', region: TEST_HUB.region },
    });
    await approvals.create({
      id: 'a-1',
      pipeline: 'orders',
      stage: 'Approve',
      action: 'Release',
      ...TEST_HUB,
      deadline: Date.parse(at) + 86_400_000,
      quorum: 1,
      status: 'PENDING',
      decisions: [],
      token: 'token-a-1',
      channel: 'C0APPROVALS',
      createdAt: at,
    });

    const executions = await history.listExecutions('orders', { status: 'SUCCEEDED' });
    expect(executions.items.map((execution) => execution.executionId)).toEqual(['e-1']);
    expect((await history.listDeployments('checkout', 'prod')).map((run) => run.runId)).toEqual(['d-1']);
    const requests = await approvals.latestForAction({
      pipeline: 'orders',
      stage: 'Approve',
      action: 'Release',
    });
    expect(requests.map((request) => request.id)).toEqual(['a-1']);
  });
});

/** The table as the upgrade's first deployment leaves it: the template's indexes and GSI1 of 0.1.x. */
async function tableDuringUpgrade() {
  const template = loadTemplate();
  const definition = tableDefinition(template);
  const indexes = template.Resources.HistoryTable?.Properties?.GlobalSecondaryIndexes as Record<
    string,
    unknown
  >[];
  const kept = indexes.flatMap((index) => (Array.isArray(index['Fn::If']) ? [index['Fn::If'][1]] : []));
  expect(kept).toMatchObject([{ IndexName: 'GSI1', Projection: { ProjectionType: 'ALL' } }]);
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  const raw = localDynamoClient(endpoint);
  await raw.send(
    new CreateTableCommand({
      TableName: tableName,
      ...definition,
      GlobalSecondaryIndexes: [...(definition.GlobalSecondaryIndexes ?? []), ...kept],
    } as CreateTableCommandInput),
  );
  return {
    tableName,
    client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
  };
}

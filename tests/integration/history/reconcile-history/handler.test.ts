import { BatchGetDeploymentsCommand, CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadTemplate } from '../../../../tooling/template';
import { createTestTable } from '../../../support/dynamo';
import {
  EXECUTION_ID,
  finalActionDetails,
  finalExecution,
  finalSummary,
  PIPELINE,
} from '../../../support/reconcile-scenario';

const codepipelineMock = mockClient(CodePipelineClient);
const codedeployMock = mockClient(CodeDeployClient);
afterAll(() => {
  codepipelineMock.restore();
  codedeployMock.restore();
});

const context = {
  functionName: 'reconcile-history',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:reconcile-history',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;

// IAM action each SDK command needs (service authorization reference: action name = operation name).
const IAM_ACTION: Record<string, string> = {
  ListPipelineExecutionsCommand: 'codepipeline:ListPipelineExecutions',
  ListActionExecutionsCommand: 'codepipeline:ListActionExecutions',
  GetPipelineExecutionCommand: 'codepipeline:GetPipelineExecution',
  GetPipelineCommand: 'codepipeline:GetPipeline',
  BatchGetDeploymentsCommand: 'codedeploy:BatchGetDeployments',
};

type PolicyDocument = { Statement: { Action: string | string[] }[] };

/** Inline statements, and those of the template's managed policies the function attaches (`!Ref` to them). */
function policyActions(): string[] {
  const template = loadTemplate();
  const fn = template.Resources.ReconcileHistoryFunction;
  const policies = (fn?.Properties?.Policies ?? []) as (PolicyDocument | { Ref: string })[];
  return policies
    .map((policy) =>
      'Ref' in policy
        ? (template.Resources[policy.Ref]?.Properties?.PolicyDocument as PolicyDocument)
        : policy,
    )
    .flatMap((policy) => policy.Statement.flatMap((statement) => [statement.Action].flat()));
}

describe('reconcile-history handler', () => {
  it('repairs a configured pipeline whose events were all lost, calling only what its role allows', async () => {
    const { endpoint, tableName, store } = await createTestTable();
    process.env.TABLE_NAME = tableName;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    process.env.RECONCILE_PIPELINES = ` ${PIPELINE} `;
    codepipelineMock
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [finalSummary] });
    codepipelineMock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: finalActionDetails });
    codepipelineMock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: finalExecution });
    codedeployMock.on(BatchGetDeploymentsCommand).resolves({ deploymentsInfo: [] });
    vi.setSystemTime(new Date('2026-11-24T10:30:00.000Z'));
    try {
      const { handler } = await import('../../../../functions/history/reconcile-history/handler');
      const outcome = await handler({}, context);

      expect(outcome).toMatchObject({ repaired: 1, deferred: 0 });
      expect((await store.getExecution(PIPELINE, EXECUTION_ID))?.status?.status).toBe('SUCCEEDED');
    } finally {
      vi.useRealTimers();
    }

    const sent = [...codepipelineMock.calls(), ...codedeployMock.calls()].map(
      (call) => (call.args[0] as object).constructor.name,
    );
    const allowed = new Set(policyActions());
    for (const command of new Set(sent)) expect(allowed).toContain(IAM_ACTION[command]);
  });

  it('grants only the read calls it makes and DynamoDB item access, never a wildcard action', () => {
    expect(policyActions().sort()).toEqual(
      [
        'codebuild:BatchGetBuildBatches',
        'codebuild:BatchGetBuilds',
        'codedeploy:BatchGetDeployments',
        'codepipeline:GetPipelineExecution',
        'codepipeline:ListActionExecutions',
        'codepipeline:ListPipelineExecutions',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        // The same reads in spoke accounts, through their spoke role (docs/multi-account.md).
        'sts:AssumeRole',
        // sqs:SendMessage for the failure destination: SAM adds it to the generated role.
      ].sort(),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadTemplate, serverlessFunctions } from '../../tooling/template';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

const template = loadTemplate();
const rollback = serverlessFunctions(template).find((fn) => fn.logicalId === 'RollbackOnAlarmFunction');
const statements = (rollback?.properties.Policies ?? []).flatMap(
  (policy) => (policy as { Statement?: unknown[] }).Statement ?? [],
);
/** Plain statements, and the "then" branch of conditional ones (`!If [Condition, statement, NoValue]`). */
const granted = statements.flatMap((statement) => {
  const conditional = (statement as { 'Fn::If'?: [string, Statement, unknown] })['Fn::If'];
  return conditional ? [{ ...conditional[1], condition: conditional[0] }] : [statement as Statement];
});
const grantsOf = (action: string) =>
  granted.filter((statement) => [statement.Action].flat().includes(action));
const arnPattern = (resource: unknown) => (resource as { 'Fn::Sub'?: string })['Fn::Sub'] ?? resource;
/** Every resource of this type in the stack's account and region (the config, not IAM, picks the target). */
const inThisAccount = (resourceType: string) =>
  expect.stringMatching(
    new RegExp(
      `^arn:\\$\\{AWS::Partition\\}:codedeploy:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:${resourceType}:\\*$`,
    ),
  );

describe('RollbackOnAlarmFunction permissions', () => {
  it('may redeploy only into deployment groups, reading deployment configs and application revisions', () => {
    expect(grantsOf('codedeploy:CreateDeployment').map((s) => arnPattern(s.Resource))).toEqual([
      inThisAccount('deploymentgroup'),
    ]);
    expect(grantsOf('codedeploy:GetDeploymentConfig').map((s) => arnPattern(s.Resource))).toEqual([
      inThisAccount('deploymentconfig'),
    ]);
    expect(grantsOf('codedeploy:GetApplicationRevision').map((s) => arnPattern(s.Resource))).toEqual([
      inThisAccount('application'),
    ]);
  });

  it('holds no CodeDeploy or CodePipeline permission until RollbackConfig names a target', () => {
    const acting = granted.filter((statement) =>
      [statement.Action].flat().some((action) => /^(codedeploy|codepipeline):/.test(action)),
    );
    expect(acting.length).toBeGreaterThanOrEqual(5);
    expect(acting.map((statement) => (statement as { condition?: string }).condition)).toEqual(
      acting.map(() => 'RollbackTargetsConfigured'),
    );
    const { Conditions, Parameters } = template as {
      Conditions?: Record<string, unknown>;
      Parameters?: Record<string, { Default?: string }>;
    };
    expect(Conditions?.RollbackTargetsConfigured).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RollbackConfig' }, Parameters?.RollbackConfig?.Default] }],
    });
  });

  it('cannot change deployment groups or register revisions', () => {
    for (const action of ['codedeploy:UpdateDeploymentGroup', 'codedeploy:RegisterApplicationRevision']) {
      expect(grantsOf(action)).toEqual([]);
    }
  });

  it('reads the Slack secret only when rollback announcements go to Slack, and only that secret', () => {
    expect(grantsOf('secretsmanager:GetSecretValue')).toEqual([
      expect.objectContaining({
        condition: 'AnnounceRollbacksInSlack',
        // The ARN as given, and a partial ARN's secret (Secrets Manager appends -XXXXXX to the name).
        Resource: [{ Ref: 'SlackSecretArn' }, { 'Fn::Sub': ['$', '{SlackSecretArn}-??????'].join('') }],
      }),
    ]);
    const { Conditions } = template as { Conditions?: Record<string, unknown> };
    expect(Conditions?.AnnounceRollbacksInSlack).toEqual({
      'Fn::And': [
        { Condition: 'SlackApprovalsEnabled' },
        { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RollbackSlackChannel' }, ''] }] },
      ],
    });
  });
});

describe('RollbackSlackChannel', () => {
  it('is off by default and reaches the function as ROLLBACK_SLACK_CHANNEL, with the Slack secret', () => {
    expect(template.Parameters?.RollbackSlackChannel).toMatchObject({ Type: 'String', Default: '' });
    expect(rollback?.properties.Environment?.Variables).toMatchObject({
      ROLLBACK_SLACK_CHANNEL: { Ref: 'RollbackSlackChannel' },
      SLACK_SECRET_ARN: { Ref: 'SlackSecretArn' },
    });
  });
});

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern } from '../../tooling/event-pattern';
import { samTransform } from '../../tooling/sam-transform';
import { eventBridgeRules, loadTemplate } from '../../tooling/template';
import { ACCOUNT, deployStack } from './support/deployed-stack';

/**
 * The hub (template.yaml) and the spoke (spoke/template.yaml) as a pair: spokes forward what the hub listens to,
 * once; the hub's bus admits the organisation or listed accounts only; the spoke's role trusts only the hub's
 * function roles and grants only the calls the hub makes there.
 */
const root = join(import.meta.dirname, '../..');
const hub = loadTemplate();
const spoke = loadTemplate(join(root, 'spoke/template.yaml'));

type Statement = {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };
const resourcesOf = (template: { Resources: Record<string, unknown> }) =>
  Object.entries(template.Resources as Record<string, Resource>);

/** Every statement with a principal (resource and trust policies) anywhere in a resource's properties. */
function principalStatements(value: unknown): Statement[] {
  if (Array.isArray(value)) return value.flatMap(principalStatements);
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  const own = 'Principal' in object && 'Effect' in object ? [object as Statement] : [];
  return [...own, ...Object.values(object).flatMap(principalStatements)];
}

const isWildcard = (principal: unknown) =>
  principal === '*' || (typeof principal === 'object' && (principal as { AWS?: unknown }).AWS === '*');

const sampleEvents = readdirSync(join(root, 'events'), { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.json') && !path.startsWith('unmatched') && !path.startsWith('demo'))
  .map((path) => ({ path, event: JSON.parse(readFileSync(join(root, 'events', path), 'utf8')) }))
  .filter(({ event }) => typeof event === 'object' && event !== null && 'detail-type' in event);

// Transformed once, at collection, as the other template suites do (the SAM transform takes seconds).
const { template: transformed, notice } = samTransform();

const spokeRules = resourcesOf(spoke).filter(([, resource]) => resource.Type === 'AWS::Events::Rule');

describe('hub template', () => {
  it('listens on the spokes bus with the same patterns as on the default bus', () => {
    const onDefault = eventBridgeRules(hub);
    const onSpokes = eventBridgeRules(hub, { bus: 'spokes' });
    expect(onSpokes.map((rule) => `${rule.functionLogicalId}.${rule.eventName}`).sort()).toEqual(
      onDefault.map((rule) => `${rule.functionLogicalId}.${rule.eventName}FromSpokes`).sort(),
    );
    for (const rule of onSpokes) {
      const twin = onDefault.find(
        (candidate) =>
          candidate.functionLogicalId === rule.functionLogicalId &&
          `${candidate.eventName}FromSpokes` === rule.eventName,
      );
      expect(rule.pattern).toEqual(twin?.pattern);
    }
  });

  it('admits the organisation (aws:PrincipalOrgID) or listed accounts, and no unconditioned wildcard principal', () => {
    const organization = hub.Resources.SpokeEventBusOrganizationPolicy as Resource;
    expect(organization.Condition).toBe('AdmitOrganization');
    expect(organization.Properties.Statement).toMatchObject({
      Principal: '*',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
    });
    const accounts = hub.Resources.SpokeEventBusAccountsPolicy as Resource;
    expect(accounts.Properties.Statement).toMatchObject({ Principal: { AWS: { Ref: 'SpokeAccountIds' } } });
    for (const [logicalId, resource] of resourcesOf(hub)) {
      for (const statement of principalStatements(resource.Properties)) {
        if (!isWildcard(statement.Principal)) continue;
        expect(
          statement.Condition?.StringEquals?.['aws:PrincipalOrgID'],
          `${logicalId}: a wildcard principal needs aws:PrincipalOrgID`,
        ).toBeDefined();
      }
    }
  });

  it('lets the functions that read or act in spokes assume only the spoke role, within the organisation', () => {
    const policy = (hub.Resources.AssumeSpokeRolePolicy as Resource).Properties.PolicyDocument as {
      Statement: Statement[];
    };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/\${SpokeRoleName}` },
        Condition: {
          'Fn::If': [
            'AdmitOrganization',
            { StringEquals: { 'aws:ResourceOrgID': { Ref: 'OrganizationId' } } },
            { Ref: 'AWS::NoValue' },
          ],
        },
      }),
    ]);
    const assuming = resourcesOf(hub)
      .filter(([, resource]) =>
        ((resource.Properties.Policies as unknown[] | undefined) ?? []).some(
          (item) => JSON.stringify(item) === JSON.stringify({ Ref: 'AssumeSpokeRolePolicy' }),
        ),
      )
      .map(([logicalId]) => logicalId)
      .sort();
    expect(assuming).toEqual([
      'ApprovalCompletedFunction',
      'ApprovalDecisionsFunction',
      'ApprovalRemindersFunction',
      'ReconcileHistoryFunction',
      'RecordDeliveryChangesFunction',
      'RecordExecutionFunction',
      'RequestApprovalFunction',
      'RollbackOnAlarmFunction',
    ]);
  });

  it('rolls the spoke out with a service-managed, auto-deploying StackSet that gives every spoke parameter', () => {
    const stackSet = hub.Resources.SpokeStackSet as Resource;
    expect(stackSet.Condition).toBe('CreateSpokeStackSet');
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true },
      TemplateURL: { Ref: 'SpokeTemplateUrl' },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: { Ref: 'SpokeOrganizationalUnitIds' } },
          Regions: { Ref: 'SpokeRegions' },
        },
      ],
    });
    const given = (stackSet.Properties.Parameters as { ParameterKey: string }[]).map((p) => p.ParameterKey);
    const declared = spoke.Parameters as Record<string, { Default?: unknown }>;
    expect(given.filter((key) => !(key in declared))).toEqual([]);
    const required = Object.entries(declared).filter(([, parameter]) => parameter.Default === undefined);
    expect(required.map(([key]) => key).filter((key) => !given.includes(key))).toEqual([]);
    // The roles the StackSet tells the spokes to trust are the ones the hub outputs for spokes deployed by hand.
    const trusted = stackSet.Properties.Parameters as { ParameterKey: string; ParameterValue: unknown }[];
    const outputs = hub.Outputs as Record<string, { Value: unknown }>;
    expect(trusted.find((p) => p.ParameterKey === 'HubRoleArns')?.ParameterValue).toEqual(
      outputs.SpokeTrustedRoleArns?.Value,
    );
  });

  it("lets the spokes' approval topics, by their one name, invoke request-approval, and tells the spokes where", () => {
    const permission = hub.Resources.SpokeApprovalTopicsInvokeRequestApproval as Resource;
    expect(permission.Condition).toBe('SlackApprovalsForSpokes');
    expect(permission.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { Ref: 'RequestApprovalFunction' },
      Principal: 'sns.amazonaws.com',
      SourceArn: { 'Fn::Sub': `arn:\${AWS::Partition}:sns:*:*:\${SpokeApprovalTopicName}` },
    });
    const given = Object.fromEntries(
      (
        (hub.Resources.SpokeStackSet as Resource).Properties.Parameters as {
          ParameterKey: string;
          ParameterValue: unknown;
        }[]
      ).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    expect(given.ApprovalTopicName).toEqual({ Ref: 'SpokeApprovalTopicName' });
    expect(given.HubApprovalFunctionArn).toEqual({
      'Fn::If': ['SlackApprovalsEnabled', { 'Fn::GetAtt': ['RequestApprovalFunction', 'Arn'] }, ''],
    });
    const outputs = hub.Outputs as Record<string, { Value: unknown }>;
    expect(outputs.SpokeApprovalFunctionArn?.Value).toEqual({
      'Fn::GetAtt': ['RequestApprovalFunction', 'Arn'],
    });
  });

  it('deploys with the organisation, listed accounts and a StackSet (the transform and the stand-in stack)', () => {
    if (!transformed) return void console.warn(`NOTICE: skipped: ${notice}`);
    const deployed = deployStack(transformed, {
      stackName: 'pipeline-control-plane',
      parameters: {
        OrganizationId: 'o-abcdefghij',
        SpokeAccountIds: '222222222222,333333333333',
        SpokeOrganizationalUnitIds: 'ou-abcd-12345678',
        SpokeRegions: 'eu-west-1,us-east-1',
        SpokeTemplateUrl: 'https://bucket.s3.amazonaws.com/spoke/template.yaml',
      },
    });
    expect(deployed.failedAssertions).toEqual([]);
    const stackSet = deployed.resources.find((resource) => resource.logicalId === 'SpokeStackSet');
    expect(stackSet).toBeDefined();
    const given = (stackSet?.Properties.Parameters ?? []) as {
      ParameterKey: string;
      ParameterValue: string;
    }[];
    const parameters = Object.fromEntries(given.map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(parameters).toMatchObject({
      HubAccountId: ACCOUNT,
      GlobalResourcesRegion: 'eu-west-1',
      ControlPlaneRoleName: 'pipeline-control-plane-spoke',
    });
    expect(parameters.HubEventBusArn).toMatch(/:event-bus\/pipeline-control-plane-spokes$/);
    expect(parameters.HubRoleArns?.split(',')).toHaveLength(4);
    const withoutTemplate = deployStack(transformed, {
      stackName: 'pipeline-control-plane',
      parameters: { SpokeOrganizationalUnitIds: 'ou-abcd-12345678' },
    });
    expect(withoutTemplate.failedAssertions).toHaveLength(2);
  });
});

describe('spoke template', () => {
  it('passes cfn-lint', { timeout: 180_000 }, () => {
    const lint = spawnSync('cfn-lint', [join(root, 'spoke/template.yaml')], { encoding: 'utf8' });
    if (lint.error) return void console.warn(`NOTICE: cfn-lint not available: ${lint.error.message}`);
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('forwards with patterns the hub listens with, and every sample event the hub takes exactly once', () => {
    const hubPatterns = eventBridgeRules(hub).map((rule) => rule.pattern);
    for (const [logicalId, rule] of spokeRules) {
      expect(hubPatterns, logicalId).toContainEqual(rule.Properties.EventPattern);
    }
    let forwarded = 0;
    for (const { path, event } of sampleEvents) {
      const hubTakes = hubPatterns.some((pattern) => matchesPattern(pattern as EventPattern, event));
      const spokeForwards = spokeRules.filter(([, rule]) =>
        matchesPattern(rule.Properties.EventPattern as EventPattern, event),
      );
      expect(spokeForwards.length, path).toBe(hubTakes ? 1 : 0);
      if (hubTakes) forwarded++;
    }
    expect(forwarded).toBeGreaterThanOrEqual(15);
  });

  it('sends to the hub bus with the forwarder role, which only this account’s EventBridge may use', () => {
    for (const [logicalId, rule] of spokeRules) {
      expect(rule.Properties.Targets, logicalId).toEqual([
        {
          Id: 'hub',
          Arn: { Ref: 'HubEventBusArn' },
          RoleArn: {
            'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/\${ControlPlaneRoleName}-forwarder`,
          },
        },
      ]);
    }
    const forwarder = spoke.Resources.EventForwarderRole as Resource;
    expect(forwarder.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(forwarder.Properties.Policies).toMatchObject([
      {
        PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Resource: { Ref: 'HubEventBusArn' } }] },
      },
    ]);
  });

  it('has no wildcard principal, and a ControlPlaneRole that trusts only the hub’s function roles', () => {
    for (const [logicalId, resource] of resourcesOf(spoke)) {
      for (const statement of principalStatements(resource.Properties)) {
        expect(isWildcard(statement.Principal), logicalId).toBe(false);
      }
    }
    const role = spoke.Resources.ControlPlaneRole as Resource;
    expect(role.Properties.RoleName).toEqual({ Ref: 'ControlPlaneRoleName' });
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${HubAccountId}:root` } },
          Action: 'sts:AssumeRole',
          Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: 'HubRoleArns' } } },
        },
      ],
    });
  });

  it("holds an approval topic of the hub's name that only this account publishes to, delivering to the hub", () => {
    const resources = Object.fromEntries(resourcesOf(spoke));
    for (const logicalId of ['ApprovalTopic', 'ApprovalTopicPolicy', 'ApprovalTopicToHub']) {
      expect(resources[logicalId]?.Condition, logicalId).toBe('ForwardApprovals');
    }
    expect(resources.ApprovalTopic?.Properties.TopicName).toEqual({ Ref: 'ApprovalTopicName' });
    expect(resources.ApprovalTopicToHub?.Properties).toEqual({
      TopicArn: { Ref: 'ApprovalTopic' },
      Protocol: 'lambda',
      Endpoint: { Ref: 'HubApprovalFunctionArn' },
    });
    const statements = principalStatements(resources.ApprovalTopicPolicy?.Properties);
    const byAction = Object.fromEntries(
      statements.map((statement) => [statement.Action, statement.Principal]),
    );
    expect(byAction).toEqual({
      'sns:Publish': { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root` } },
      'sns:Subscribe': { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${HubAccountId}:root` } },
    });
    const declared = spoke.Parameters as Record<string, { Default?: unknown }>;
    const hubParameters = hub.Parameters as Record<string, { Default?: unknown }>;
    expect(declared.ApprovalTopicName?.Default).toBe(hubParameters.SpokeApprovalTopicName?.Default);
  });

  it('grants ControlPlaneRole exactly the calls the hub makes in a spoke, none with a wildcard action', () => {
    const role = spoke.Resources.ControlPlaneRole as Resource;
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions).toEqual(
      [
        // recorder, reconciler, approval-completed; rollback's stage target confirmation
        'codepipeline:GetPipelineExecution',
        // recorder and reconciler: the declared production stage
        'codepipeline:GetPipeline',
        'codepipeline:ListPipelineExecutions',
        'codepipeline:ListActionExecutions',
        // request-approval: an unlisted organisation account's approval is confirmed waiting there
        'codepipeline:GetPipelineState',
        // Slack endpoint and reminders' redrive
        'codepipeline:PutApprovalResult',
        // rollback
        'codepipeline:RollbackStage',
        'codedeploy:GetDeployment',
        'codedeploy:ListDeployments',
        'codedeploy:BatchGetDeployments',
        'codedeploy:StopDeployment',
        'codedeploy:CreateDeployment',
        'codedeploy:GetDeploymentConfig',
        'codedeploy:GetApplicationRevision',
        'cloudwatch:DescribeAlarms',
        // request-approval: commit authors for separation of duties
        'codecommit:GetCommit',
        // reconciler: builds and batch builds
        'codebuild:BatchGetBuildBatches',
        'codebuild:BatchGetBuilds',
      ].sort(),
    );
    for (const statement of statements) {
      if (statement.Resource === '*') {
        expect(['codedeploy:StopDeployment', 'cloudwatch:DescribeAlarms']).toContain(statement.Action);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { loadTemplate, serverlessFunctions } from '../../local/template';

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

  it('cannot change deployment groups or register revisions', () => {
    for (const action of ['codedeploy:UpdateDeploymentGroup', 'codedeploy:RegisterApplicationRevision']) {
      expect(grantsOf(action)).toEqual([]);
    }
  });
});

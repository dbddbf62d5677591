import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTemplate, serverlessFunctions } from '../../tooling/template';

const template = loadTemplate();
const actionFunctions = serverlessFunctions(template).filter((fn) =>
  /^functions\/actions\/[^/]+\/handler\.ts$/.test(fn.entryPoint),
);

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

function statements(policies: unknown[] | undefined): Statement[] {
  return (policies ?? []).flatMap((policy) => (policy as { Statement?: Statement[] }).Statement ?? []);
}

describe('invoke actions in template.yaml', () => {
  it('has a function for every folder under functions/actions, so /actions/<name> finds it', () => {
    const folders = readdirSync('functions/actions', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(actionFunctions.map((fn) => fn.entryPoint.split('/')[2]).sort()).toEqual(folders);
    for (const fn of actionFunctions) expect(existsSync(fn.entryPoint)).toBe(true);
  });

  it.each(actionFunctions.map((fn) => [fn.logicalId, fn] as const))(
    '%s may report job results, and uses Resource "*" only where IAM requires it',
    (_id, fn) => {
      const all = statements(fn.properties.Policies);
      const report = all.find((statement) => statement.Sid === 'ReportJobResultsRequiresStar');
      expect(report).toMatchObject({
        Action: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'],
        Resource: '*',
      });
      // Besides job results only DescribeAlarms, which reads composite alarms only with Resource "*".
      const wildcard = all.filter((statement) => statement.Resource === '*' && statement !== report);
      expect(wildcard.flatMap((statement) => [statement.Action].flat())).toEqual(
        fn.logicalId === 'AlarmBakeActionFunction' ? ['cloudwatch:DescribeAlarms'] : [],
      );
    },
  );

  it.each(actionFunctions.map((fn) => [fn.logicalId, fn] as const))(
    '%s leaves the runtime its 5-second margin to report a timeout',
    (_id, fn) => {
      const timeout = Number(fn.properties.Timeout ?? template.Globals?.Function?.Timeout);
      expect(timeout).toBeGreaterThan(10);
    },
  );

  it('publishes the action runtime layer and its ARN', () => {
    expect(template.Resources.ActionRuntimeLayer).toMatchObject({
      Type: 'AWS::Serverless::LayerVersion',
      Metadata: { BuildMethod: 'makefile', BuildArchitecture: 'arm64' },
      Properties: { ContentUri: 'layers/action-runtime/', CompatibleRuntimes: ['nodejs22.x'] },
    });
    expect(existsSync('layers/action-runtime/Makefile')).toBe(true);
    expect(template.Outputs?.ActionRuntimeLayerArn).toMatchObject({ Value: { Ref: 'ActionRuntimeLayer' } });
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GENERIC_CI_ACCOUNT,
  GITHUB_ACCOUNT,
  genericCiPipeline,
  genericCiScope,
  githubPipeline,
  githubScope,
} from '../../functions/ci-ingest/domain/ci-identity';
import { factKeys } from '../../functions/delivery-metrics/adapters/delivery-facts-keys';
import { keys } from '../../functions/history/adapters/history-keys';
import { samPython, samTransform } from '../../tooling/sam-transform';
import { serverlessFunctions } from '../../tooling/template';
import { keysOutside, leadingKeysGranted } from '../support/leading-keys';
import {
  ACCOUNT,
  type DeployedStack,
  deployStack,
  iamPatternMatches,
  REGION,
} from './support/deployed-stack';
import { ALLOWED_COMBINATIONS } from './support/parameter-combinations';
import { type ReachableCalls, reachableAwsCalls } from './support/reachable-aws-calls';

/**
 * Every AWS call a function's bundle can make, checked against the role the SAM transform generates for it,
 * with the IAM action and resource data cfn-lint ships (its copy of the Service Authorization Reference).
 */
const { template: transformed, notice } = samTransform();
if (notice) console.warn(`NOTICE: permission test skipped: ${notice}`);

/**
 * Where the bundle holds a call the function never makes: a store or gateway shared by several functions has
 * methods each function does not use, and reachability is per module. Each entry says which code calls it.
 */
const NOT_CALLED: Record<string, Record<string, string>> = {
  ApiFunction: {
    'dynamodb:UpdateItem':
      'history-store writes are called by the recorder and the reconciler, never by the read API',
  },
  RecordExecutionFunction: {
    'dynamodb:Query':
      'history-store reads are called by the read API, the reconciler and record-delivery-changes; the recorder only writes',
  },
  GitHubWebhookFunction: {
    'dynamodb:Query': 'history-store reads are never called by CI ingestion, which only writes',
  },
  CiEventsFunction: {
    'dynamodb:Query': 'history-store reads are never called by CI ingestion, which only writes',
  },
  RecordDeliveryChangesFunction: {
    'dynamodb:GetItem':
      'history-store GetItems (runs, details) are called by the recorder and the read API; this function Queries executions',
  },
  ApprovalDecisionsFunction: {
    'dynamodb:Query': 'approval-store queries are called by reminders, approval-completed and the read API',
  },
  SlackInteractionsFunction: {
    'dynamodb:Query': 'approval-store queries are called by reminders, approval-completed and the read API',
  },
};

/** Permissions AWS checks inside a call, besides the call's own action (CodeDeploy user guide). */
const CHECKED_WITHIN: Record<string, string[]> = {
  'codedeploy:CreateDeployment': ['codedeploy:GetDeploymentConfig', 'codedeploy:GetApplicationRevision'],
};

/** Actions where IAM needs Resource "*" although the reference lists a resource type. */
const STAR_DESPITE_RESOURCE_TYPE: Record<string, string> = {
  'cloudwatch:DescribeAlarms': 'composite alarms are returned only to a policy with Resource "*"',
};

interface ServiceData {
  Actions: Record<string, { Resources?: string[] }>;
  Resources: Record<string, { ARNFormats: string[] }>;
}
function serviceAuthorizationData(): Record<string, ServiceData> {
  const python = samPython();
  const location = python
    ? spawnSync(python, ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], {
        encoding: 'utf8',
      })
    : undefined;
  const path = join(String(location?.stdout).trim(), 'data', 'AdditionalSpecs', 'Policies.json');
  return JSON.parse(readFileSync(path, 'utf8'));
}

type Statement = { Effect: string; Action: string | string[]; Resource: string | string[]; Sid?: string };

function roleStatements(stack: DeployedStack, functionId: string): Statement[] {
  const fn = stack.resources.find((resource) => resource.logicalId === functionId);
  const roleArn = String(fn?.Properties.Role);
  const role = stack.resources.find(
    (resource) => resource.Type === 'AWS::IAM::Role' && stack.arn(resource.logicalId) === roleArn,
  );
  const policies = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement).filter((s) => s.Effect === 'Allow');
}

/** The resources a call needs: this stack's table and the indexes it queries, else the action's resource type. */
function neededResources(
  action: string,
  calls: ReachableCalls,
  stack: DeployedStack,
  data: Record<string, ServiceData>,
): { exact?: string[]; required?: string[]; formats?: string[] } {
  const [service = '', name = ''] = action.split(':');
  if (service === 'dynamodb') {
    const table = stack.arn('HistoryTable');
    if (action !== 'dynamodb:Query') return { exact: [table], required: [table] };
    // Which index a Query names is known per module, not per call: any index reachable code names may be
    // granted, and none is demanded.
    return {
      exact: [table, ...[...calls.queriedIndexes].map((index) => `${table}/index/${index}`)],
      required: [],
    };
  }
  const types = data[service]?.Actions[name.toLowerCase()]?.Resources ?? [];
  if (types.length === 0 || STAR_DESPITE_RESOURCE_TYPE[action]) return { exact: ['*'], required: ['*'] };
  const resourceTypes = data[service]?.Resources ?? {};
  const ofType = (type: string) =>
    Object.entries(resourceTypes).find(([candidate]) => candidate.toLowerCase() === type.toLowerCase())?.[1];
  return {
    formats: types.flatMap((type) =>
      (ofType(type)?.ARNFormats ?? []).map((format) =>
        format
          .replace(/\$\{Partition\}/, 'aws')
          .replace(/\$\{Region\}/, REGION)
          .replace(/\$\{Account\}/, ACCOUNT),
      ),
    ),
  };
}

describe.skipIf(!transformed)('IAM: each function may make exactly the calls its code makes', () => {
  const data = serviceAuthorizationData();
  const functions = serverlessFunctions();
  const calls = new Map<string, ReachableCalls>();
  beforeAll(async () => {
    for (const fn of functions) calls.set(fn.logicalId, await reachableAwsCalls(fn));
  }, 120_000);

  describe.each(Object.entries(ALLOWED_COMBINATIONS))('with %s', (combination, parameters) => {
    const stack = deployStack(transformed as NonNullable<typeof transformed>, {
      stackName: 'pipeline-control-plane-prod',
      parameters,
    });
    const everythingOn = combination.startsWith('everything on');

    it.each(functions.map((fn) => [fn.logicalId] as const))('%s', (functionId) => {
      if (!stack.resources.some((resource) => resource.logicalId === functionId)) return;
      const reachable = calls.get(functionId) as ReachableCalls;
      const notCalled = NOT_CALLED[functionId] ?? {};
      const calledActions = [...reachable.actions].filter((action) => !notCalled[action]);
      const needed = [...calledActions, ...calledActions.flatMap((action) => CHECKED_WITHIN[action] ?? [])];
      // Calls the parameters imply: a customer-managed key on what the function reads or publishes to.
      const statements = roleStatements(stack, functionId).filter((statement) =>
        [statement.Action].flat().some((action) => !action.startsWith('sqs:')),
      );
      const implied = impliedKmsActions(statements, parameters);
      const problems: string[] = [];

      for (const action of needed) {
        const grants = statements.filter((statement) => [statement.Action].flat().includes(action));
        const granted = grants.flatMap((statement) => [statement.Resource].flat());
        const { exact, required, formats } = neededResources(action, reachable, stack, data);
        // Off until configured (rollback targets, a topic, Slack): only the everything-on stack needs them all.
        if (grants.length === 0) {
          if (everythingOn) problems.push(`missing ${action} (${functionId})`);
          continue;
        }
        for (const resource of granted) {
          const fits = exact
            ? exact.includes(resource)
            : resource !== '*' &&
              (formats ?? []).some((format) =>
                new RegExp(`^${format}$`).test(resource.replace(/[*?]/g, 'x')),
              );
          if (!fits)
            problems.push(
              `${action} wrongly scoped to ${resource} (needs ${exact?.join(', ') ?? formats?.join(' | ')})`,
            );
        }
        for (const resource of required ?? []) {
          if (!granted.includes(resource)) problems.push(`${action} not allowed on ${resource}`);
        }
      }
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) {
          if (!needed.includes(action) && !implied.includes(action))
            problems.push(`unused grant ${action} (${statement.Sid ?? ''})`);
        }
      }
      for (const action of implied) {
        if (!statements.some((statement) => [statement.Action].flat().includes(action)))
          problems.push(`missing ${action}`);
      }
      expect(problems).toEqual([]);
    });
  });

  it('lists only calls that are reachable, so the exceptions cannot go stale', () => {
    for (const [functionId, actions] of Object.entries(NOT_CALLED)) {
      for (const action of Object.keys(actions))
        expect(calls.get(functionId)?.actions.has(action), `${functionId} ${action}`).toBe(true);
    }
  });

  it('a failing delivery destination is allowed by the generated role (SAM adds it)', () => {
    const stack = deployStack(transformed as NonNullable<typeof transformed>, {
      stackName: 'pipeline-control-plane-prod',
      parameters: ALLOWED_COMBINATIONS['everything on, customer-managed keys'] ?? {},
    });
    for (const config of stack.resources.filter(
      (resource) => resource.Type === 'AWS::Lambda::EventInvokeConfig',
    )) {
      const destination = (config.Properties.DestinationConfig as { OnFailure?: { Destination: string } })
        .OnFailure;
      if (!destination) continue;
      const functionId = stack.resources.find(
        (resource) =>
          resource.Type === 'AWS::Lambda::Function' &&
          resource.Properties.FunctionName === undefined &&
          stack.physicalName(resource.logicalId) === config.Properties.FunctionName,
      )?.logicalId as string;
      const allowed = roleStatements(stack, functionId).some(
        (statement) =>
          [statement.Action].flat().includes('sqs:SendMessage') &&
          [statement.Resource]
            .flat()
            .some((resource) => iamPatternMatches(resource, destination.Destination)),
      );
      expect(allowed, `${functionId} → ${destination.Destination}`).toBe(true);
    }
  });
});

/**
 * The public CI endpoints write the shared history table only under their own system's partition keys
 * (tests/integration/ci-ingest checks the keys they really write against the same condition).
 */
describe("IAM: each CI endpoint writes only its own pipelines' keys (dynamodb:LeadingKeys)", () => {
  const github = {
    ...githubScope('https://github.com/acme/shop'),
    pipeline: githubPipeline('acme/shop', 'Deploy'),
  };
  const jenkins = { ...genericCiScope('jenkins'), pipeline: genericCiPipeline('jenkins', 'payments-deploy') };
  const codePipeline = { account: ACCOUNT, region: REGION, pipeline: 'payments-api' };
  /** The partitions a recorded execution of `ref` writes: its items and the catalog entry. */
  const writtenFor = (ref: typeof codePipeline) => [
    keys.executionPartition(ref, '7001'),
    keys.pipelineEntry(ref).pk,
  ];
  /** Its DORA day, written from the table's stream by record-delivery-changes, never by an endpoint. */
  const factFor = (ref: typeof codePipeline) => factKeys.day(ref, '2026-11-20').pk;

  it.each([
    ['GitHubWebhookFunction', GITHUB_ACCOUNT, github, jenkins],
    ['CiEventsFunction', GENERIC_CI_ACCOUNT, jenkins, github],
  ] as const)(
    '%s: UpdateItem under account %s only, no other item write',
    (functionId, account, own, other) => {
      const granted = leadingKeysGranted(functionId, 'dynamodb:UpdateItem');
      expect(granted).toEqual([[`EXECUTION#${account}#*`, 'PIPELINES']]);
      for (const action of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
        expect(leadingKeysGranted(functionId, action), action).toEqual([]);
      const patterns = granted.flat();
      expect(keysOutside(patterns, writtenFor(own))).toEqual([]);
      expect(keysOutside(patterns, [factFor(own)])).toEqual([factFor(own)]);
      // Another system's and CodePipeline's history is out of reach; the catalog is one partition.
      for (const ref of [other, codePipeline])
        expect(keysOutside(patterns, writtenFor(ref))).toEqual(writtenFor(ref).slice(0, 1));
      const deploymentRun = keys.run('deployment', codePipeline, 'd-1').pk;
      expect(keysOutside(patterns, [deploymentRun])).toEqual([deploymentRun]);
    },
  );
});

/** Reading a secret or publishing to a topic encrypted with a customer-managed key needs that key too. */
function impliedKmsActions(statements: Statement[], parameters: Record<string, string>): string[] {
  const grantsOn = (action: string, resource: string | undefined) =>
    Boolean(resource) &&
    statements.some(
      (statement) =>
        [statement.Action].flat().includes(action) && [statement.Resource].flat().includes(String(resource)),
    );
  const implied = new Set<string>();
  if (
    parameters.SlackSecretKmsKeyArn &&
    grantsOn('secretsmanager:GetSecretValue', parameters.SlackSecretArn)
  ) {
    implied.add('kms:Decrypt');
  }
  if (parameters.RollbackTopicKmsKeyArn && grantsOn('sns:Publish', parameters.RollbackTopicArn)) {
    implied.add('kms:GenerateDataKey');
    implied.add('kms:Decrypt');
  }
  return [...implied];
}

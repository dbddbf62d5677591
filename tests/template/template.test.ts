import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResolver, functionEnvironment } from '../../local/local-functions';
import { type BuiltFunction, buildFunctions } from '../../tooling/build';
import { matchesPattern } from '../../tooling/event-pattern';
import {
  eventBridgeRules,
  loadTemplate,
  serverlessFunctions,
  streamSources,
  tableDefinition,
} from '../../tooling/template';
import { sampleEvents } from '../support/events';

const template = loadTemplate();
const functions = serverlessFunctions(template);
const rules = eventBridgeRules(template);
/** `functions/<feature>/<function>/handler.ts` → `<function>`: the folder of its sample events under events/. */
const folderOf = (entryPoint: string) => entryPoint.split('/').at(-2) ?? '';

describe('template.yaml', () => {
  it('is a SAM template targeting nodejs22.x on arm64 with JSON logs, tracing and source maps by parameter', () => {
    expect((template as unknown as { Transform: string }).Transform).toBe('AWS::Serverless-2016-10-31');
    expect(template.Globals?.Function).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Tracing: { Ref: 'Tracing' },
      LoggingConfig: { LogFormat: 'JSON' },
    });
    expect(template.Parameters?.Tracing).toMatchObject({ Default: 'PassThrough' });
    expect(template.Parameters?.EnableSourceMaps).toMatchObject({ Default: 'false' });
  });

  it('defines the history table with on-demand billing, PITR, SSE, TTL and the time-ordered GSIs', () => {
    expect(template.Resources.HistoryTable?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const indexes = (template.Resources.HistoryTable?.Properties?.GlobalSecondaryIndexes ?? []) as Record<
      string,
      unknown
    >[];
    const [ownerTime, upgradeOnly = {}, byMonth] = indexes;
    expect(ownerTime).toMatchObject({
      IndexName: 'OwnerTime',
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['itemType', 'executionId', 'runId'] },
    });
    expect(byMonth).toMatchObject({ IndexName: 'GSI2' });
    const [condition, gsi1, otherwise] = upgradeOnly['Fn::If'] as [string, { IndexName: string }, unknown];
    expect([condition, gsi1.IndexName, otherwise]).toEqual([
      'KeepIndexGSI1',
      'GSI1',
      { Ref: 'AWS::NoValue' },
    ]);
    // A new stack's table (what local mode, the tests and the bench create) has no GSI1.
    expect(tableDefinition(template).GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      'OwnerTime',
      'GSI2',
    ]);
  });

  it('reads GSI1 while an upgrade keeps it, OwnerTime otherwise, and grants the index it reads', () => {
    const ownerTime = { 'Fn::If': ['KeepIndexGSI1', 'GSI1', 'OwnerTime'] };
    expect(template.Globals?.Function?.Environment?.Variables?.OWNER_TIME_INDEX).toEqual(ownerTime);
    // Every grant on GSI1 is the upgrade's branch of a grant on OwnerTime.
    const json = JSON.stringify(template.Resources);
    const grant = JSON.stringify({
      'Fn::If': [
        'KeepIndexGSI1',
        { 'Fn::Sub': `$\{HistoryTable.Arn}/index/GSI1` },
        { 'Fn::Sub': `$\{HistoryTable.Arn}/index/OwnerTime` },
      ],
    });
    expect(json.split('index/GSI1').length - 1).toBe(json.split(grant).length - 1);
    expect(json.split('index/OwnerTime').length - 1).toBe(json.split(grant).length - 1);
  });

  it("lets every alarm's topic be published to by CloudWatch: not encrypted with the AWS-managed aws/sns key", () => {
    const resources = template.Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    const alarmTopics = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
      .flatMap((alarm) => (alarm.Properties?.AlarmActions as { Ref: string }[] | undefined) ?? [])
      .map((action) => action.Ref);
    expect(alarmTopics).toContain('AlarmTopic');
    for (const topic of alarmTopics) {
      const key = resources[topic]?.Properties?.KmsMasterKeyId as { Ref?: string } | string | undefined;
      expect(key, topic).not.toBe('alias/aws/sns');
      const keyId = typeof key === 'object' ? key.Ref : undefined;
      const policy = resources[keyId ?? '']?.Properties?.KeyPolicy as
        | { Statement: { Principal?: { Service?: string } }[] }
        | undefined;
      const statements = policy?.Statement ?? [];
      expect(
        statements.some((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com'),
      ).toBe(true);
    }
  });

  it('lets only the Slack endpoint read a separate signing secret', () => {
    const readers = functions
      .filter((fn) => JSON.stringify(fn.properties.Policies ?? []).includes('"SlackSigningSecretArn"'))
      .map((fn) => fn.logicalId);
    expect(readers).toEqual(['SlackInteractionsFunction']);
  });

  describe.each(functions.map((fn) => [fn.logicalId, fn] as const))('%s', (_id, fn) => {
    it('has an esbuild entry point that exists and a handler named handler', () => {
      expect(template.Resources[fn.logicalId]?.Metadata?.BuildMethod).toBe('esbuild');
      expect(existsSync(join(process.cwd(), fn.entryPoint))).toBe(true);
      expect(fn.properties.Handler).toBe('handler.handler');
    });

    it('grants no wildcard actions and scopes every resource it can', () => {
      for (const statement of policyStatements(fn.properties.Policies)) {
        for (const action of [statement.Action].flat()) {
          expect(String(action), `${fn.logicalId}: ${JSON.stringify(statement)}`).not.toContain('*');
        }
        const resources = [statement.Resource].flat();
        if (resources.includes('*')) {
          // Only where AWS has no resource-level permissions; such statements must say why (Sid).
          expect(statement.Sid, `${fn.logicalId} uses Resource "*"`).toMatch(/RequiresStar|NoResourceLevel/);
        }
      }
    });

    it('sends failed asynchronous invocations of its rules to the dead-letter queue', () => {
      const hasRules = rules.some((rule) => rule.functionLogicalId === fn.logicalId);
      if (!hasRules) return;
      expect(fn.properties.EventInvokeConfig).toMatchObject({
        DestinationConfig: {
          OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['EventDeadLetterQueue', 'Arn'] } },
        },
      });
    });
  });

  it.each(rules.map((rule) => [`${rule.functionLogicalId}.${rule.eventName}`, rule] as const))(
    'rule %s retries and has a dead-letter queue',
    (_name, rule) => {
      const properties = functions.find((fn) => fn.logicalId === rule.functionLogicalId)?.properties.Events?.[
        rule.eventName
      ]?.Properties;
      expect(properties?.RetryPolicy).toMatchObject({ MaximumRetryAttempts: expect.any(Number) });
      expect(properties?.DeadLetterConfig).toMatchObject({
        Arn: { 'Fn::GetAtt': ['EventDeadLetterQueue', 'Arn'] },
      });
    },
  );
});

describe('delivery dashboard', () => {
  const dashboard = template.Resources.DeliveryDashboard?.Properties as {
    DashboardBody: { 'Fn::Sub': string };
  };
  // Stand-ins for what CloudFormation substitutes, so the body can be read as the JSON CloudWatch gets.
  const body = JSON.parse(dashboard.DashboardBody['Fn::Sub'].replace(/\$\{[^}]+\}/g, 'substituted'));
  const charted = [...JSON.stringify(body).matchAll(/MetricName=\\"(\w+)\\"/g)].map((match) => match[1]);
  // What the functions emit: delivery-metrics.ts, the approval functions and rollback-on-alarm.
  const emitted = [
    'Deployments',
    'LeadTime',
    'ChangeFailures',
    'TimeToRestore',
    'FailedExecutions',
    'RollbackExecutions',
    'ApprovalWaitTime',
    'Rollback_succeeded',
    'Rollback_observed',
  ];

  it('is valid JSON with the four DORA charts, and a DashboardUrl output', () => {
    const titles = body.widgets.map((widget: { properties: { title?: string } }) => widget.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Deployments per day',
        'Change failure rate (%)',
        expect.stringMatching(/^Lead time/),
        expect.stringMatching(/^Time to restore/),
      ]),
    );
    expect(template.Outputs?.DashboardUrl).toBeDefined();
  });

  it('charts only metrics the functions emit', () => {
    expect(charted.length).toBeGreaterThan(8);
    for (const name of charted) expect(emitted).toContain(name);
  });
});

describe('EventBridge patterns against the sample events', () => {
  const eventBridgeSamples = sampleEvents().filter(({ event }) => typeof event['detail-type'] === 'string');
  const folderToFunction = new Map(functions.map((fn) => [folderOf(fn.entryPoint), fn.logicalId]));

  it('has samples for every function with rules, and negative samples', () => {
    for (const rule of rules) {
      const folder = folderOf(
        functions.find((fn) => fn.logicalId === rule.functionLogicalId)?.entryPoint ?? '',
      );
      expect(
        eventBridgeSamples.some((sample) => sample.folder === folder),
        `events/${folder}/`,
      ).toBe(true);
    }
    expect(eventBridgeSamples.some((sample) => sample.folder === 'unmatched')).toBe(true);
  });

  it.each(eventBridgeSamples.map((sample) => [`${sample.folder}/${sample.file}`, sample] as const))(
    '%s reaches exactly the functions it is meant for',
    (_name, sample) => {
      const matched = new Set(
        rules
          .filter((rule) => matchesPattern(rule.pattern as never, sample.event))
          .map((rule) => rule.functionLogicalId),
      );
      const intended = folderToFunction.get(sample.folder);
      const intendedHasRules = rules.some((rule) => rule.functionLogicalId === intended);
      // Scheduled-event samples belong to functions a schedule (not a rule) invokes.
      if (intended && !intendedHasRules) return;
      if (sample.folder === 'unmatched' || !intended) {
        if (sample.folder === 'unmatched') expect([...matched]).toEqual([]);
        return;
      }
      // A sample may legitimately reach other functions too (e.g. an approval action event); it must reach its own.
      expect([...matched]).toContain(intended);
    },
  );
});

describe("stream filters against the sample stream records (Lambda's FilterCriteria)", () => {
  const sources = streamSources(template);
  const streamSamples = sampleEvents().filter(({ event }) => Array.isArray(event.Records));
  const delivered = (filters: Record<string, unknown>[], record: unknown) =>
    filters.some((filter) => matchesPattern(filter as never, record));

  it('has samples for every function a stream invokes, and each of their records passes its filter', () => {
    expect(sources.map((source) => source.functionLogicalId)).toEqual(['RecordDeliveryChangesFunction']);
    for (const source of sources) {
      const folder = folderOf(
        functions.find((fn) => fn.logicalId === source.functionLogicalId)?.entryPoint ?? '',
      );
      const samples = streamSamples.filter((sample) => sample.folder === folder);
      expect(samples.length, `events/${folder}/`).toBeGreaterThan(0);
      for (const sample of samples) {
        for (const record of sample.event.Records as unknown[])
          expect(delivered(source.filters, record), sample.file).toBe(true);
      }
    }
  });

  it("keeps from record-delivery-changes what it need not read: its own facts, other items, an action's later events, TTL deletions", () => {
    const [source] = sources;
    const [sample] = streamSamples.filter((candidate) => candidate.folder === 'record-delivery-changes');
    const record = ((sample?.event.Records ?? []) as Record<string, unknown>[])[0] as Record<string, unknown>;
    const withKey = (pk: string, sk = 'HEADER', eventName = 'MODIFY') => ({
      ...record,
      eventName,
      dynamodb: { ...(record.dynamodb as object), Keys: { pk: { S: pk }, sk: { S: sk } } },
    });
    const execution = String((record.dynamodb as { Keys: { pk: { S: string } } }).Keys.pk.S);
    expect(delivered(source?.filters ?? [], record)).toBe(true);
    for (const wanted of [
      withKey(execution, 'ACTION#Build#Compile', 'INSERT'),
      withKey(execution, 'STAGE#Build'),
      withKey(execution, 'DETAILS'),
    ])
      expect(delivered(source?.filters ?? [], wanted)).toBe(true);
    // An action's later events: nothing DORA reads changes, and none costs an invocation.
    expect(delivered(source?.filters ?? [], withKey(execution, 'ACTION#Build#Compile'))).toBe(false);
    for (const other of [
      withKey('DORA#123456789012#us-east-1#checkout-service'),
      withKey('DEPLOYMENT#123456789012#us-east-1#d-1'),
      withKey('PIPELINES'),
      withKey('APPROVAL#a-1'),
      { ...record, eventName: 'REMOVE' },
    ])
      expect(delivered(source?.filters ?? [], other)).toBe(false);
  });
});

describe('bundles (npm run build, as sam build makes them)', () => {
  let built: BuiltFunction[];
  beforeAll(async () => {
    built = await buildFunctions({ outDir: mkdtempSync(join(tmpdir(), 'pcp-build-')) });
  }, 120_000);

  it('builds one minified ESM bundle per function', () => {
    expect(built.map((fn) => fn.logicalId).sort()).toEqual(functions.map((fn) => fn.logicalId).sort());
    for (const fn of built) expect(fn.bundle).toMatch(/handler\.mjs$/);
  });

  it('each bundle loads in a fresh Node process with only the template’s environment and exports handler', () => {
    const { resolve } = createResolver(template, 'history-table');
    for (const fn of built) {
      const definition = functions.find((candidate) => candidate.logicalId === fn.logicalId);
      if (!definition) throw new Error(fn.logicalId);
      const env = {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        ...functionEnvironment(template, definition, resolve),
        NODE_OPTIONS: '',
      };
      const script = `const m = await import(${JSON.stringify(pathToFileURL(fn.bundle).href)}); process.stdout.write(typeof m.handler);`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
      });
      // Only the error's first lines: a minified bundle's source line would bury it.
      const error = child.stderr
        .split('\n')
        .filter((line) => /Error|^\s+at /.test(line))
        .slice(0, 4)
        .join('\n');
      expect(child.stdout, `${fn.logicalId} failed to load:\n${error.slice(0, 1500)}`).toBe('function');
    }
    // One Node process per function, one after another: on a loaded machine that outlasts the default timeout.
  }, 120_000);
});

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };
function policyStatements(policies: unknown[] | undefined): Statement[] {
  return (policies ?? []).flatMap((policy) =>
    typeof policy === 'object' && policy && 'Statement' in policy
      ? ((policy as { Statement: Statement[] }).Statement ?? [])
      : [],
  );
}

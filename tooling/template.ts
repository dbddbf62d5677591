import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Tags } from 'yaml';

export const TEMPLATE_PATH = fileURLToPath(new URL('../template.yaml', import.meta.url));

/**
 * template.yaml as data. CloudFormation short-form tags (!Ref, !GetAtt, !Sub, …) become their long form
 * ({ Ref: … }, { 'Fn::GetAtt': … }), so the local control plane and the template tests read the same
 * resources SAM deploys.
 */
export interface Template {
  Parameters?: Record<string, { Default?: unknown }>;
  Globals?: { Function?: FunctionProperties };
  Resources: Record<string, Resource>;
  Outputs?: Record<string, unknown>;
}

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: { BuildMethod?: string; BuildProperties?: BuildProperties };
  Condition?: string;
}

export interface BuildProperties {
  EntryPoints?: string[];
  Format?: string;
  Minify?: boolean;
  Target?: string;
  Sourcemap?: boolean;
  External?: string[];
  OutExtension?: string[];
  Banner?: string[];
}

export interface FunctionProperties {
  Handler?: string;
  CodeUri?: string;
  Environment?: { Variables?: Record<string, unknown> };
  Events?: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Policies?: unknown[];
  /** Lambda's async retries before the OnFailure destination (local mode retries the same way). */
  EventInvokeConfig?: { MaximumRetryAttempts?: number };
  [key: string]: unknown;
}

const INTRINSICS = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'FindInMap',
];

const customTags: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  const fromScalar = (value: string) =>
    name === 'GetAtt'
      ? { [key]: value.split('.') as unknown }
      : ({ [key]: value } as Record<string, unknown>);
  return [
    { tag: `!${name}`, resolve: fromScalar },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }),
    },
  ];
});

export function loadTemplate(path = TEMPLATE_PATH): Template {
  return parse(readFileSync(path, 'utf8'), { customTags }) as Template;
}

export interface FunctionDefinition {
  logicalId: string;
  properties: FunctionProperties;
  buildProperties: BuildProperties;
  /** The TypeScript entry point, relative to the repository root. */
  entryPoint: string;
}

export function serverlessFunctions(template: Template = loadTemplate()): FunctionDefinition[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([logicalId, resource]) => {
      const buildProperties = resource.Metadata?.BuildProperties ?? {};
      const entryPoint = buildProperties.EntryPoints?.[0];
      if (!entryPoint) throw new Error(`${logicalId} has no Metadata.BuildProperties.EntryPoints`);
      return {
        logicalId,
        properties: (resource.Properties ?? {}) as FunctionProperties,
        buildProperties,
        entryPoint,
      };
    });
}

export interface EventRuleDefinition {
  functionLogicalId: string;
  eventName: string;
  pattern: Record<string, unknown>;
}

/**
 * Every EventBridge rule (SAM `EventBridgeRule` events) with the function it invokes. By default the rules of the
 * default bus only; `{ bus: 'spokes' }` gives the twins on the spokes' custom bus, `'all'` both.
 */
export function eventBridgeRules(
  template: Template = loadTemplate(),
  { bus = 'default' }: { bus?: 'default' | 'spokes' | 'all' } = {},
): EventRuleDefinition[] {
  return serverlessFunctions(template).flatMap((fn) =>
    Object.entries(fn.properties.Events ?? {})
      .filter(([, event]) => event.Type === 'EventBridgeRule')
      .filter(([, event]) => {
        const onDefaultBus = event.Properties.EventBusName === undefined;
        return bus === 'all' || onDefaultBus === (bus === 'default');
      })
      .map(([eventName, event]) => ({
        functionLogicalId: fn.logicalId,
        eventName,
        pattern: event.Properties.Pattern as Record<string, unknown>,
      })),
  );
}

/** A function's DynamoDB stream source (SAM `Type: DynamoDB`): its Lambda event filters and batch size. */
export interface StreamSourceDefinition {
  functionLogicalId: string;
  eventName: string;
  /** Lambda event filter patterns (EventBridge pattern syntax); a record is delivered if any matches. */
  filters: Record<string, unknown>[];
  batchSize: number;
  /** Attempts after the first before a failing batch is given up (Lambda's default: until the record expires). */
  maximumRetryAttempts?: number;
  /** How long Lambda gathers records into a batch before invoking (0: as soon as there are any). */
  maximumBatchingWindowSeconds: number;
}

export function streamSources(template: Template = loadTemplate()): StreamSourceDefinition[] {
  return serverlessFunctions(template).flatMap((fn) =>
    Object.entries(fn.properties.Events ?? {})
      .filter(([, event]) => event.Type === 'DynamoDB')
      .map(([eventName, event]) => {
        const properties = event.Properties as {
          BatchSize?: number;
          MaximumRetryAttempts?: number;
          MaximumBatchingWindowInSeconds?: number;
          FilterCriteria?: { Filters?: { Pattern: string }[] };
        };
        return {
          functionLogicalId: fn.logicalId,
          eventName,
          filters: (properties.FilterCriteria?.Filters ?? []).map(
            (filter) => JSON.parse(filter.Pattern) as Record<string, unknown>,
          ),
          batchSize: properties.BatchSize ?? 100,
          maximumBatchingWindowSeconds: properties.MaximumBatchingWindowInSeconds ?? 0,
          ...(properties.MaximumRetryAttempts === undefined
            ? {}
            : { maximumRetryAttempts: properties.MaximumRetryAttempts }),
        };
      }),
  );
}

/** The stream source of one function, or a clear error naming it when the template has none. */
export function streamSourceOf(
  functionLogicalId: string,
  template: Template = loadTemplate(),
): StreamSourceDefinition {
  const source = streamSources(template).find(
    (candidate) => candidate.functionLogicalId === functionLogicalId,
  );
  if (!source) throw new Error(`template.yaml has no stream source for ${functionLogicalId}`);
  return source;
}

/** The table definition as CreateTable input (minus the billing and TTL settings dynalite ignores). */
export function tableDefinition(template: Template = loadTemplate(), logicalId = 'HistoryTable') {
  const properties = template.Resources[logicalId]?.Properties;
  if (!properties) throw new Error(`template.yaml has no ${logicalId}`);
  return {
    AttributeDefinitions: properties.AttributeDefinitions,
    KeySchema: properties.KeySchema,
    // A conditional index (`!If [Condition, index, !Ref AWS::NoValue]`) as the parameters' defaults decide it,
    // as local mode resolves every `!If`: a new stack's table, which local mode, the tests and the bench create.
    GlobalSecondaryIndexes: (properties.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined)
      ?.map((index) =>
        Array.isArray(index['Fn::If']) ? (index['Fn::If'][2] as Record<string, unknown>) : index,
      )
      .filter((index) => index.Ref !== 'AWS::NoValue')
      .map((index) => ({ ...index })),
    BillingMode: 'PAY_PER_REQUEST',
  };
}

import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { WebhookHandlerPlatform } from '../functions/ci-ingest/ports';
import type { SlackHandlerPlatform } from '../functions/platform/slack/slack-platform';

/** What local mode gives every handler: its clients, Slack credentials and webhook secrets. */
export type LocalHandlerPlatform = SlackHandlerPlatform & WebhookHandlerPlatform;

import { type FunctionDefinition, serverlessFunctions, type Template } from '../tooling/template';
import { runInvocation } from './invocation-scope';
import { LOCAL_PARAMETER_DEFAULTS } from './local-parameters';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction extends FunctionDefinition {
  /** `functions/actions/<name>/handler.ts` → `<name>`: served at POST /actions/<name>. */
  actionName?: string;
  localHttpPath?: string;
  invoke(event: unknown): Promise<unknown>;
}

/**
 * Resolves CloudFormation values the way a deployed stack would, with local stand-ins: the table's
 * name, parameter defaults, and ARNs in a fake account for everything else.
 */
export function createResolver(template: Template, tableName: string) {
  const resourceType = (logicalId: string) => template.Resources[logicalId]?.Type;
  const arnOf = (logicalId: string) => {
    const type = resourceType(logicalId) ?? '';
    if (type === 'AWS::SNS::Topic') return `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
    if (type === 'AWS::SQS::Queue') return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
    return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
  };
  const ref = (name: string): string => {
    if (name === 'AWS::Region') return LOCAL_REGION;
    if (name === 'AWS::AccountId') return LOCAL_ACCOUNT;
    if (name === 'AWS::Partition') return 'aws';
    if (name === 'AWS::StackName') return 'pipeline-control-plane-local';
    if (template.Parameters?.[name])
      return String(
        process.env[`PARAM_${name}`] ??
          LOCAL_PARAMETER_DEFAULTS[name] ??
          template.Parameters[name].Default ??
          '',
      );
    if (resourceType(name) === 'AWS::DynamoDB::Table') return tableName;
    if (resourceType(name) === 'AWS::SNS::Topic') return arnOf(name);
    return name;
  };
  const resolve = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return ref(object.Ref);
    if (Array.isArray(object['Fn::GetAtt'])) {
      const [logicalId, attribute] = object['Fn::GetAtt'] as string[];
      return attribute === 'Arn' ? arnOf(String(logicalId)) : `${logicalId}.${attribute}`;
    }
    if (typeof object['Fn::Sub'] === 'string') {
      return object['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
        const [logicalId, attribute] = name.split('.');
        return attribute ? String(resolve({ 'Fn::GetAtt': [logicalId, attribute] })) : ref(name);
      });
    }
    if (Array.isArray(object['Fn::If'])) return resolve((object['Fn::If'] as unknown[])[2]);
    return value;
  };
  return { resolve, ref, arnOf };
}

/** Environment the template gives each function (Globals merged with the function's own variables). */
export function functionEnvironment(
  template: Template,
  fn: FunctionDefinition,
  resolve: (value: unknown) => unknown,
): Record<string, string> {
  const variables = {
    ...(template.Globals?.Function?.Environment?.Variables ?? {}),
    ...(fn.properties.Environment?.Variables ?? {}),
  };
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(resolve(value))]));
}

/**
 * Imports every function's handler into this process. Each handler validates its environment at import, so
 * the variables the template declares are set first; a variable already in process.env (for example
 * SLACK_SIGNING_SECRET) wins, which is how local settings override the template.
 */
export async function loadLocalFunctions(
  template: Template,
  tableName: string,
  platform: LocalHandlerPlatform,
  /** A handler's own dependencies by function logical id (createHandler's second argument); absent: production's. */
  dependencies: Readonly<Record<string, unknown>> = {},
): Promise<LocalFunction[]> {
  const { resolve } = createResolver(template, tableName);
  const definitions = serverlessFunctions(template);
  for (const fn of definitions) {
    for (const [name, value] of Object.entries(functionEnvironment(template, fn, resolve))) {
      if (name === 'POWERTOOLS_SERVICE_NAME' || name === 'NODE_OPTIONS') continue;
      process.env[name] ??= value;
    }
  }
  return Promise.all(
    definitions.map(async (fn) => {
      const module = (await import(
        pathToFileURL(new URL(`../${fn.entryPoint}`, import.meta.url).pathname).href
      )) as {
        createHandler: (platform: LocalHandlerPlatform, dependencies?: unknown) => LambdaHandler;
      };
      // The local composition root: every handler gets local mode's clients and Slack credentials, and some
      // their local dependencies (the smoke test's address policy, the alarm bake's compressed clock).
      const ownDependencies = dependencies[fn.logicalId];
      const handler =
        ownDependencies === undefined
          ? module.createHandler(platform)
          : module.createHandler(platform, ownDependencies);
      const timeoutSeconds = Number(fn.properties.Timeout ?? template.Globals?.Function?.Timeout ?? 30);
      const metadata = template.Resources[fn.logicalId]?.Metadata as { LocalHttpPath?: string } | undefined;
      return {
        ...fn,
        actionName: /^functions\/actions\/([^/]+)\/handler\.ts$/.exec(fn.entryPoint)?.[1],
        localHttpPath: metadata?.LocalHttpPath,
        // One invocation: a crash-after fault fails it whatever the handler does with the error.
        invoke: (event: unknown) =>
          runInvocation(fn.logicalId, () => handler(event, lambdaContext(fn.logicalId, timeoutSeconds))),
      };
    }),
  );
}

function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

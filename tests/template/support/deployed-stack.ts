import { createHash } from 'node:crypto';
import type { TransformedTemplate } from '../../../tooling/sam-transform';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export interface StackSettings {
  stackName: string;
  parameters: Record<string, string>;
}

export interface DeployedResource {
  logicalId: string;
  Type: string;
  Properties: Record<string, unknown>;
}

/** Stands for CloudFormation's random 12 characters: distinct per resource, stable per run. */
const randomSuffix = (logicalId: string) =>
  createHash('sha256').update(logicalId).digest('hex').slice(0, 12).toUpperCase();

/** Longest physical name CloudFormation may generate, by type (the service's own limit). */
const NAME_LIMITS: Record<string, number> = {
  'AWS::Events::Rule': 64,
  'AWS::Lambda::Function': 64,
  'AWS::IAM::Role': 64,
  'AWS::Scheduler::Schedule': 64,
  'AWS::SQS::Queue': 80,
  'AWS::Lambda::LayerVersion': 140,
};

/**
 * The name CloudFormation generates for a resource without one: `<stack>-<logical id>-<random>`, both parts
 * shortened (the stack part too) when the whole would pass the type's limit.
 */
export function generatedName(stackName: string, logicalId: string, type: string): string {
  const limit = NAME_LIMITS[type] ?? 255;
  const suffix = randomSuffix(logicalId);
  const full = `${stackName}-${logicalId}-${suffix}`;
  if (full.length <= limit) return full;
  const budget = limit - suffix.length - 2;
  const stackPart = stackName.slice(0, Math.min(stackName.length, Math.floor(budget / 2)));
  const logicalPart = logicalId.slice(0, budget - stackPart.length);
  return `${stackPart}-${logicalPart}-${suffix}`;
}

/**
 * A transformed template as CloudFormation would deploy it with these parameters in a stand-in account: resources
 * whose condition holds, every intrinsic resolved, generated names and ARNs for what the template leaves unnamed.
 */
export function deployStack(template: TransformedTemplate, settings: StackSettings) {
  const parameterValue = (name: string): string => {
    const declared = template.Parameters?.[name];
    if (!declared) throw new Error(`unknown parameter ${name}`);
    return settings.parameters[name] ?? String(declared.Default ?? '');
  };
  const conditionCache = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    const cached = conditionCache.get(name);
    if (cached !== undefined) return cached;
    const value = Boolean(evaluate(template.Conditions?.[name]));
    conditionCache.set(name, value);
    return value;
  };

  const explicitName = (logicalId: string): string | undefined => {
    const resource = template.Resources[logicalId];
    const properties = resource?.Properties ?? {};
    const key = {
      'AWS::Lambda::LayerVersion': 'LayerName',
      'AWS::Scheduler::Schedule': 'Name',
      'AWS::CloudWatch::Dashboard': 'DashboardName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::Events::EventBus': 'Name',
    }[resource?.Type ?? ''];
    return key && properties[key] !== undefined ? String(evaluate(properties[key])) : undefined;
  };
  const physicalName = (logicalId: string): string => {
    const type = template.Resources[logicalId]?.Type ?? '';
    return explicitName(logicalId) ?? generatedName(settings.stackName, logicalId, type);
  };
  const arn = (logicalId: string): string => {
    const type = template.Resources[logicalId]?.Type;
    const name = physicalName(logicalId);
    const regional = (service: string, resource: string) =>
      `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
    switch (type) {
      case 'AWS::Events::Rule': {
        // A custom bus's rules carry the bus in their ARN: rule/<bus>/<rule>.
        const bus = template.Resources[logicalId]?.Properties?.EventBusName;
        return regional('events', bus === undefined ? `rule/${name}` : `rule/${evaluate(bus)}/${name}`);
      }
      case 'AWS::Events::EventBus':
        return regional('events', `event-bus/${name}`);
      case 'AWS::SQS::Queue':
        return regional('sqs', name);
      case 'AWS::SNS::Topic':
        return regional('sns', name);
      case 'AWS::DynamoDB::Table':
        return regional('dynamodb', `table/${name}`);
      case 'AWS::Lambda::Function':
        return regional('lambda', `function:${name}`);
      case 'AWS::Lambda::LayerVersion':
        return regional('lambda', `layer:${name}:1`);
      case 'AWS::Scheduler::Schedule':
        return regional('scheduler', `schedule/default/${name}`);
      case 'AWS::KMS::Key':
        return regional('kms', `key/${name}`);
      case 'AWS::Logs::LogGroup':
        return regional('logs', `log-group:${name}:*`);
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      default:
        return regional('unknown', `${type}/${name}`);
    }
  };
  const ref = (name: string): unknown => {
    if (name === 'AWS::StackName') return settings.stackName;
    if (name === 'AWS::Region') return REGION;
    if (name === 'AWS::AccountId') return ACCOUNT;
    if (name === 'AWS::Partition') return 'aws';
    if (name === 'AWS::URLSuffix') return 'amazonaws.com';
    if (name === 'AWS::NoValue') return NO_VALUE;
    const parameter = template.Parameters?.[name];
    if (parameter) {
      return parameter.Type === 'CommaDelimitedList' ? parameterValue(name).split(',') : parameterValue(name);
    }
    const type = template.Resources[name]?.Type;
    if (!type) throw new Error(`Ref to unknown ${name}`);
    if (['AWS::SNS::Topic', 'AWS::Lambda::LayerVersion', 'AWS::IAM::ManagedPolicy'].includes(type))
      return arn(name);
    if (type === 'AWS::SQS::Queue')
      return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physicalName(name)}`;
    return physicalName(name);
  };
  const getAtt = (logicalId: string, attribute: string): string => {
    if (attribute === 'Arn') return arn(logicalId);
    if (attribute === 'QueueName') return physicalName(logicalId);
    if (attribute === 'FunctionUrl')
      return `https://${physicalName(logicalId).toLowerCase()}.lambda-url.${REGION}.on.aws/`;
    return `${physicalName(logicalId)}.${attribute}`;
  };

  function evaluate(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(evaluate).filter((item) => item !== NO_VALUE);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    const [key] = Object.keys(object);
    const argument = key ? object[key] : undefined;
    switch (Object.keys(object).length === 1 ? key : undefined) {
      case 'Ref':
        return ref(String(argument));
      case 'Condition':
        return condition(String(argument));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
        return getAtt(String(logicalId), String(attribute));
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return evaluate(condition(name) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [left, right] = (argument as unknown[]).map(evaluate);
        return String(left) === String(right);
      }
      case 'Fn::Not':
        return !evaluate((argument as unknown[])[0]);
      case 'Fn::And':
        return (argument as unknown[]).every((item) => Boolean(evaluate(item)));
      case 'Fn::Or':
        return (argument as unknown[]).some((item) => Boolean(evaluate(item)));
      case 'Fn::Join': {
        const [separator, items] = argument as [string, unknown[]];
        return (evaluate(items) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = argument as [unknown, unknown];
        return (evaluate(items) as unknown[])[Number(evaluate(index))];
      }
      case 'Fn::Sub': {
        const [text, variables] =
          typeof argument === 'string' ? [argument, {}] : (argument as [string, object]);
        return text.replace(/\$\{([^}!]+)\}/g, (_match, name: string) => {
          if (name in variables) return String(evaluate((variables as Record<string, unknown>)[name]));
          const [logicalId, attribute] = name.split('.');
          return String(attribute ? getAtt(String(logicalId), attribute) : ref(name));
        });
      }
      default:
        return Object.fromEntries(
          Object.entries(object)
            .map(([name, item]) => [name, evaluate(item)] as const)
            .filter(([, item]) => item !== NO_VALUE),
        );
    }
  }

  const resources: DeployedResource[] = Object.entries(template.Resources)
    .filter(([, resource]) => !resource.Condition || condition(resource.Condition))
    .map(([logicalId, resource]) => ({
      logicalId,
      Type: resource.Type,
      Properties: evaluate(resource.Properties ?? {}) as Record<string, unknown>,
    }));

  /** The Rules assertions this parameter set fails (CloudFormation refuses such a deploy before any change). */
  const failedAssertions = Object.entries(template.Rules ?? {}).flatMap(([name, rule]) =>
    rule.RuleCondition !== undefined && !evaluate(rule.RuleCondition)
      ? []
      : rule.Assertions.filter((assertion) => !evaluate(assertion.Assert)).map(
          (assertion) => `${name}: ${assertion.AssertDescription ?? ''}`,
        ),
  );

  return { resources, physicalName, arn, evaluate, condition, failedAssertions, settings };
}

export type DeployedStack = ReturnType<typeof deployStack>;

const NO_VALUE = Symbol('AWS::NoValue');

/** IAM's wildcard match (`*` any run of characters, `?` one), as in Resource elements and ArnLike. */
export function iamPatternMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

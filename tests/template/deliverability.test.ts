import { describe, expect, it } from 'vitest';
import { samTransform } from '../../tooling/sam-transform';
import {
  ACCOUNT,
  type DeployedStack,
  deployStack,
  generatedName,
  iamPatternMatches,
} from './support/deployed-stack';
import { ALLOWED_COMBINATIONS, stackNamesToTest } from './support/parameter-combinations';

/**
 * Every rule, schedule and subscription of the transformed template can invoke its target and reach its
 * dead-letter queue, under the names CloudFormation generates for the stack names samconfig.toml deploys and
 * for a 64-character one (where CloudFormation shortens the stack part of generated names).
 */
const { template: transformed, notice } = samTransform();
if (notice) console.warn(`NOTICE: deliverability test skipped: ${notice}`);

type Statement = {
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

/** IAM condition operators this template uses, against one request context. */
function conditionsHold(statement: Statement, context: Record<string, string>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = [expected].flat();
      if (operator === 'StringEquals' || operator === 'ArnEquals') return values.includes(actual);
      if (operator === 'StringLike' || operator === 'ArnLike')
        return values.some((value) => iamPatternMatches(value, actual));
      throw new Error(`condition operator ${operator} is not modelled`);
    }),
  );
}

function queueAdmits(stack: DeployedStack, queueArn: string, service: string, sourceArn: string): boolean {
  const queueUrl = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${queueArn.split(':').at(-1)}`;
  return stack.resources
    .filter((resource) => resource.Type === 'AWS::SQS::QueuePolicy')
    .filter((policy) => (policy.Properties.Queues as string[]).includes(queueUrl))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .some(
      (statement) =>
        statement.Effect === 'Allow' &&
        statement.Principal?.Service === service &&
        [statement.Action].flat().includes('sqs:SendMessage') &&
        [statement.Resource].flat().some((resource) => iamPatternMatches(resource, queueArn)) &&
        conditionsHold(statement, { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT }),
    );
}

function lambdaPermits(
  stack: DeployedStack,
  functionArn: string,
  service: string,
  sourceArn: string,
): boolean {
  return stack.resources.some(
    (resource) =>
      resource.Type === 'AWS::Lambda::Permission' &&
      resource.Properties.Action === 'lambda:InvokeFunction' &&
      resource.Properties.Principal === service &&
      functionArn.endsWith(`:function:${resource.Properties.FunctionName}`) &&
      resource.Properties.SourceArn === sourceArn,
  );
}

function roleAllows(stack: DeployedStack, roleArn: string, action: string, resourceArn: string): boolean {
  const role = stack.resources.find(
    (resource) => resource.Type === 'AWS::IAM::Role' && stack.arn(resource.logicalId) === roleArn,
  );
  const policies = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies
    .flatMap((policy) => policy.PolicyDocument.Statement)
    .some(
      (statement) =>
        [statement.Action].flat().includes(action) &&
        [statement.Resource].flat().some((resource) => iamPatternMatches(resource, resourceArn)),
    );
}

const cases = stackNamesToTest().flatMap((stackName) =>
  Object.entries(ALLOWED_COMBINATIONS).map(
    ([combination, parameters]) => [stackName, combination, parameters] as const,
  ),
);

describe.skipIf(!transformed)('deliverability of every event source', () => {
  it.each(cases)('stack %s, %s', (stackName, _combination, parameters) => {
    const stack = deployStack(transformed as NonNullable<typeof transformed>, { stackName, parameters });
    const problems: string[] = [];
    let sources = 0;

    for (const rule of stack.resources.filter((resource) => resource.Type === 'AWS::Events::Rule')) {
      const ruleArn = stack.arn(rule.logicalId);
      for (const target of rule.Properties.Targets as { Arn: string; DeadLetterConfig?: { Arn: string } }[]) {
        sources++;
        if (!lambdaPermits(stack, target.Arn, 'events.amazonaws.com', ruleArn))
          problems.push(`${rule.logicalId} cannot invoke ${target.Arn}`);
        if (!target.DeadLetterConfig) problems.push(`${rule.logicalId} has no dead-letter queue`);
        else if (!queueAdmits(stack, target.DeadLetterConfig.Arn, 'events.amazonaws.com', ruleArn)) {
          problems.push(`${rule.logicalId} (${ruleArn}) cannot dead-letter`);
        }
      }
    }
    for (const schedule of stack.resources.filter(
      (resource) => resource.Type === 'AWS::Scheduler::Schedule',
    )) {
      sources++;
      const target = schedule.Properties.Target as {
        Arn: string;
        RoleArn: string;
        DeadLetterConfig?: { Arn: string };
      };
      if (!roleAllows(stack, target.RoleArn, 'lambda:InvokeFunction', target.Arn))
        problems.push(`${schedule.logicalId} cannot invoke`);
      if (
        !target.DeadLetterConfig ||
        !roleAllows(stack, target.RoleArn, 'sqs:SendMessage', target.DeadLetterConfig.Arn)
      ) {
        problems.push(`${schedule.logicalId} cannot dead-letter`);
      }
    }
    for (const subscription of stack.resources.filter(
      (resource) => resource.Type === 'AWS::SNS::Subscription' && resource.Properties.Protocol === 'lambda',
    )) {
      sources++;
      const topic = String(subscription.Properties.TopicArn);
      const redrive = subscription.Properties.RedrivePolicy as { deadLetterTargetArn?: string } | undefined;
      if (!lambdaPermits(stack, String(subscription.Properties.Endpoint), 'sns.amazonaws.com', topic)) {
        problems.push(`${subscription.logicalId} cannot invoke`);
      }
      if (
        !redrive?.deadLetterTargetArn ||
        !queueAdmits(stack, redrive.deadLetterTargetArn, 'sns.amazonaws.com', topic)
      ) {
        problems.push(`${subscription.logicalId} cannot dead-letter`);
      }
    }
    expect(sources).toBeGreaterThanOrEqual(7);
    expect(problems).toEqual([]);
  });

  it('CloudFormation shortens the stack part of generated rule names, so a stack-name prefix cannot admit them', () => {
    const [longest = ''] = stackNamesToTest();
    const name = generatedName(
      longest,
      'RecordExecutionFunctionPipelineExecutionStateChange',
      'AWS::Events::Rule',
    );
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name.startsWith(`${longest}-`)).toBe(false);
  });
});

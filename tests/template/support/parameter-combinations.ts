import { readFileSync } from 'node:fs';
import { ACCOUNT, REGION } from './deployed-stack';

const secret = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`;
const key = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;

const approvalsPolicy = JSON.stringify({
  rules: [{ pipeline: '*', channel: 'C0APPROVE1', approvers: { users: ['U0APPROVE1'] } }],
});
const rollbackConfig = JSON.stringify({
  targets: [
    { kind: 'codedeploy', application: 'checkout', deploymentGroup: 'prod', alarms: ['checkout-5xx'] },
    { kind: 'pipeline', pipeline: 'payments', stage: 'Prod', alarms: ['payments-health'] },
  ],
});

/** Parameter sets the template accepts: every feature off, each on alone, and everything on at once. */
export const ALLOWED_COMBINATIONS: Record<string, Record<string, string>> = {
  defaults: {},
  'Slack approvals (partial secret ARN)': {
    SlackSecretArn: secret('slack-app'),
    ApprovalsPolicy: approvalsPolicy,
  },
  'rollback targets with a topic': {
    RollbackConfig: rollbackConfig,
    RollbackTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:rollbacks`,
  },
  'CI endpoints': {
    GitHubWebhookSecretArn: secret('github-webhook'),
    CiWebhookSecretArn: secret('ci-webhook-AbCdEf'),
  },
  'everything on, customer-managed keys': {
    SlackSecretArn: secret('slack-app-AbCdEf'),
    SlackSigningSecretArn: secret('slack-signing'),
    SlackSecretKmsKeyArn: key('11111111-2222-3333-4444-555555555555'),
    ApprovalsPolicy: approvalsPolicy,
    ApprovalEmail: 'approvals@example.com',
    AlarmEmail: 'oncall@example.com',
    RollbackConfig: rollbackConfig,
    RollbackTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:rollbacks`,
    RollbackTopicKmsKeyArn: key('66666666-7777-8888-9999-000000000000'),
    RollbackSlackChannel: 'C0ROLLBACK',
    GitHubWebhookSecretArn: secret('github-webhook'),
    CiWebhookSecretArn: secret('ci-webhook'),
    CiDeploymentPolicy: JSON.stringify({
      environments: ['production'],
      pipelines: ['github:acme/shop:Deploy'],
    }),
  },
};

/** Parameter sets that cannot work: the template's Rules must refuse each before anything is created. */
export const REFUSED_COMBINATIONS: Record<string, Record<string, string>> = {
  'Slack without an approvals policy': { SlackSecretArn: secret('slack-app') },
  'a rollback Slack channel without the Slack app': { RollbackSlackChannel: 'C0ROLLBACK' },
};

/** Stack names samconfig.toml deploys, and the longest that CloudFormation-generated names must survive. */
export function stackNamesToTest(): string[] {
  const samconfig = readFileSync(new URL('../../../samconfig.toml', import.meta.url), 'utf8');
  const fromConfig = [...samconfig.matchAll(/^stack_name\s*=\s*"([^"]+)"/gm)].map((match) =>
    String(match[1]),
  );
  const longest = fromConfig.reduce((a, b) => (b.length > a.length ? b : a), '');
  return [longest, `pcp-${'x'.repeat(60)}`.slice(0, 64)];
}

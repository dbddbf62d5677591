import { createServer, type Server } from 'node:http';
import { DEV_CI_WEBHOOK_SECRET, DEV_GITHUB_WEBHOOK_SECRET } from '../local/development-webhook-secrets';
import { listenOnLoopback } from '../local/loopback';
import { declaredStagesOf, demoScenario } from './demo-copies';

/** The account the sample and demo events come from: the bench measures a hub recording its own account. */
export const BENCH_EVENTS_ACCOUNT = '123456789012';
export const BENCH_SLACK_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-slack-AbCdEf';
export const BENCH_GITHUB_WEBHOOK_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-github-webhook-AbCdEf';
export const BENCH_CI_WEBHOOK_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-ci-webhook-AbCdEf';

/**
 * The secrets by ARN: the Slack app's with the development signing secret, and the CI endpoints' with local
 * mode's development secrets, which the samples in events/github-webhook/ and events/ci-events/ are signed with.
 */
const SECRET_STRINGS: Record<string, string> = {
  [BENCH_SLACK_SECRET_ARN]: JSON.stringify({
    botToken: 'xoxb-bench',
    signingSecret: 'local-dev-signing-secret',
  }),
  [BENCH_GITHUB_WEBHOOK_SECRET_ARN]: DEV_GITHUB_WEBHOOK_SECRET,
  [BENCH_CI_WEBHOOK_SECRET_ARN]: DEV_CI_WEBHOOK_SECRET,
};

/**
 * The stub's answers by API, given the call's input: GetPipelineExecution a source revision, as CodePipeline
 * does once the source action ran (an empty list means "not yet" and is read again); GetPipeline a demo
 * pipeline's declaration (its stages, so its last is the production stage, as deployed); GetSecretValue the named
 * secret (the Slack app's when it names none of them); every other call nothing. STS AssumeRole, which speaks
 * the Query protocol, is answered apart (below).
 */
const DEMO_PIPELINE_STAGES = declaredStagesOf(demoScenario.events);

const STUB_ANSWERS: Record<string, (input: Record<string, unknown>) => unknown> = {
  GetPipelineExecution: () => ({
    pipelineExecution: {
      artifactRevisions: [
        { name: 'Source', revisionId: '0123456789abcdef', revisionSummary: 'bench', created: 1_764_000_000 },
      ],
    },
  }),
  GetPipeline: ({ name }) => {
    const stages = typeof name === 'string' ? DEMO_PIPELINE_STAGES.get(name) : undefined;
    return stages
      ? { pipeline: { name, stages: stages.map((stage) => ({ name: stage, actions: [] })) } }
      : {};
  },
  GetSecretValue: ({ SecretId }) => {
    const arn =
      typeof SecretId === 'string' && SecretId in SECRET_STRINGS ? SecretId : BENCH_SLACK_SECRET_ARN;
    return { ARN: arn, Name: arn.split(':').at(-1), SecretString: SECRET_STRINGS[arn] };
  },
};

function parsedInput(body: string): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(body);
    return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The role a form-encoded STS AssumeRole call (the Query protocol) asks for; undefined for any other call. */
function assumeRoleArn(body: string): string | undefined {
  if (!body.startsWith('Action=AssumeRole')) return undefined;
  return new URLSearchParams(body).get('RoleArn') ?? undefined;
}

/**
 * Credentials for an hour: the demo's pipelines live in spoke accounts, and as deployed each spoke holds the
 * stack whose role the hub assumes. Without this answer every spoke read would fail and log a warning, and
 * the bench would measure an undeployed spoke's error path instead of the recorder.
 */
function assumeRoleAnswer(roleArn: string): string {
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  return `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIABENCH</AccessKeyId><SecretAccessKey>bench</SecretAccessKey><SessionToken>bench</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}/bench</Arn><AssumedRoleId>AROA:bench</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`;
}

/** Stands in for CodePipeline, CodeDeploy, SNS, …: answers every JSON-protocol call, counting calls by API. */
export async function startStubAws(
  calls: { byTarget: Record<string, number> } = { byTarget: {} },
): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((request, response) => {
    const target =
      String(request.headers['x-amz-target'] ?? request.url ?? '')
        .split('.')
        .pop() ?? 'unknown';
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const roleArn = assumeRoleArn(body);
      if (roleArn) {
        calls.byTarget.AssumeRole = (calls.byTarget.AssumeRole ?? 0) + 1;
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(assumeRoleAnswer(roleArn));
        return;
      }
      calls.byTarget[target] = (calls.byTarget[target] ?? 0) + 1;
      const answer = STUB_ANSWERS[target]?.(parsedInput(body)) ?? {};
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer));
    });
  });
  return { endpoint: `http://127.0.0.1:${await listenOnLoopback(server)}`, server };
}

import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from '../local/loopback';

/** The account the sample and demo events come from: the bench measures a hub recording its own account. */
export const BENCH_EVENTS_ACCOUNT = '123456789012';
export const BENCH_SLACK_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-slack-AbCdEf';

/**
 * The stub's answers by API: GetPipelineExecution a source revision, as CodePipeline does once the source
 * action ran (an empty list means "not yet" and is read again); GetSecretValue the Slack app's secret, with
 * the development signing secret; STS AssumeRole a spoke's credentials; every other call nothing.
 */
const STUB_ANSWERS: Record<string, unknown> = {
  GetPipelineExecution: {
    pipelineExecution: {
      artifactRevisions: [
        { name: 'Source', revisionId: '0123456789abcdef', revisionSummary: 'bench', created: 1_764_000_000 },
      ],
    },
  },
  GetSecretValue: {
    ARN: BENCH_SLACK_SECRET_ARN,
    Name: 'bench-slack',
    SecretString: JSON.stringify({ botToken: 'xoxb-bench', signingSecret: 'local-dev-signing-secret' }),
  },
};

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
      const roleArn = assumeRoleArn(Buffer.concat(chunks).toString('utf8'));
      if (roleArn) {
        calls.byTarget.AssumeRole = (calls.byTarget.AssumeRole ?? 0) + 1;
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(assumeRoleAnswer(roleArn));
        return;
      }
      calls.byTarget[target] = (calls.byTarget[target] ?? 0) + 1;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(STUB_ANSWERS[target] ?? {}));
    });
  });
  return { endpoint: `http://127.0.0.1:${await listenOnLoopback(server)}`, server };
}

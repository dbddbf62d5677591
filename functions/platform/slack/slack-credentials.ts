import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { awsClient } from '#platform/aws-clients';
import { describeIssues } from '#platform/errors';

export interface SlackCredentials {
  botToken: string;
  /** Absent when the app keeps its signing secret in a separate secret (SLACK_SIGNING_SECRET_ARN). */
  signingSecret?: string;
}

/** Local mode's signing secret when SLACK_SIGNING_SECRET is unset (docs/slack-approvals.md). Never valid in Slack. */
export const DEV_SIGNING_SECRET = 'local-dev-signing-secret';
export const DEV_BOT_TOKEN = 'xoxb-local-dev-token';
/** Set by local mode (local/control-plane.ts) and the test configuration; never by template.yaml. */
export const LOCAL_MODE_ENV = 'PIPELINE_CONTROL_PLANE_LOCAL';

const secretSchema = z.object({
  botToken: z.string().check(z.regex(/^xox[bp]-/)),
  signingSecret: z.optional(z.string().check(z.minLength(16))),
});
const signingSecretSchema = z.object({ signingSecret: z.string().check(z.minLength(16)) });

export class SlackSecretError extends Error {
  override name = 'SlackSecretError';
}

// Re-read every 5 minutes so a rotated secret is picked up without a redeploy, yet one container makes at
// most 12 GetSecretValue calls an hour whatever the click rate.
const SECRET_MAX_AGE_SECONDS = 300;

let provider: SecretsProvider | undefined;

/**
 * The Slack bot token and signing secret. In AWS they come from one Secrets Manager secret (JSON
 * `{"botToken":"xoxb-…","signingSecret":"…"}`), cached per container; never from plain environment variables.
 * Without a secret ARN, only in local mode, the development values of SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET apply.
 */
export async function slackCredentials(secretArn: string | undefined): Promise<SlackCredentials> {
  if (!secretArn) {
    // Fail closed: the development signing secret is public, so it is only ever used where local mode (npm
    // start, the tests) says so explicitly; a deployed function without its secret refuses every request.
    if (process.env[LOCAL_MODE_ENV] !== '1') {
      throw new SlackSecretError(
        `SLACK_SECRET_ARN is not set: no Slack credentials (the development ones apply only with ${LOCAL_MODE_ENV}=1)`,
      );
    }
    return {
      botToken: process.env.SLACK_BOT_TOKEN || DEV_BOT_TOKEN,
      signingSecret: process.env.SLACK_SIGNING_SECRET || DEV_SIGNING_SECRET,
    };
  }
  return readSecret(secretArn, secretSchema, '{"botToken":"xoxb-…","signingSecret":"…"}');
}

/**
 * The signing secret that authenticates Slack's requests: from its own secret when the stack keeps it apart
 * (`{"signingSecret":"…"}`, readable by slack-interactions alone), else from the app's secret.
 */
export async function slackSigningSecret(
  secretArn: string | undefined,
  signingSecretArn: string | undefined,
): Promise<string> {
  if (signingSecretArn) {
    return (await readSecret(signingSecretArn, signingSecretSchema, '{"signingSecret":"…"}')).signingSecret;
  }
  const { signingSecret } = await slackCredentials(secretArn);
  if (!signingSecret) {
    throw new SlackSecretError(
      `Slack secret ${secretArn} has no signingSecret and no SLACK_SIGNING_SECRET_ARN is set: every request is refused`,
    );
  }
  return signingSecret;
}

async function readSecret<T>(arn: string, schema: z.ZodMiniType<T>, shape: string): Promise<T> {
  provider ??= new SecretsProvider({ awsSdkV3Client: awsClient(SecretsManagerClient) });
  const raw = await provider.get(arn, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Field names only: the issue list never carries the values.
    throw new SlackSecretError(
      `Slack secret ${arn} must be JSON ${shape}: ${describeIssues(parsed.error.issues)}`,
    );
  }
  return parsed.data;
}

/** Forgets cached credentials (tests). */
export function resetSlackCredentials(): void {
  provider = undefined;
}

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import type { AwsClientFactory } from '#platform/aws-clients';
import { describeIssues } from '#platform/errors';

export interface SlackCredentials {
  botToken: string;
  /** Absent when the app keeps its signing secret in a separate secret (SLACK_SIGNING_SECRET_ARN). */
  signingSecret?: string;
}

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

/** Where the Slack functions get their credentials; injected by the composition root. */
export interface SlackCredentialSource {
  /** The bot token, and the signing secret when the app's secret holds it too. */
  credentials(secretArn: string | undefined): Promise<SlackCredentials>;
  /** The signing secret that authenticates Slack's requests. */
  signingSecret(secretArn: string | undefined, signingSecretArn: string | undefined): Promise<string>;
}

/**
 * Credentials from Secrets Manager: one secret for the app (JSON `{"botToken":"xoxb-…","signingSecret":"…"}`)
 * and optionally one for the signing secret alone (`{"signingSecret":"…"}`, readable by slack-interactions
 * only), cached per container; never from plain environment variables. Fails closed without a secret.
 */
export function secretsManagerSlackCredentials(clients: AwsClientFactory): SlackCredentialSource {
  let provider: SecretsProvider | undefined;
  async function readSecret<T>(arn: string, schema: z.ZodMiniType<T>, shape: string): Promise<T> {
    provider ??= new SecretsProvider({ awsSdkV3Client: clients.client(SecretsManagerClient) });
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
  const source: SlackCredentialSource = {
    async credentials(secretArn) {
      if (!secretArn) throw new SlackSecretError('SLACK_SECRET_ARN is not set: no Slack credentials');
      return readSecret(secretArn, secretSchema, '{"botToken":"xoxb-…","signingSecret":"…"}');
    },
    async signingSecret(secretArn, signingSecretArn) {
      if (signingSecretArn) {
        return (await readSecret(signingSecretArn, signingSecretSchema, '{"signingSecret":"…"}'))
          .signingSecret;
      }
      const { signingSecret } = await source.credentials(secretArn);
      if (!signingSecret) {
        throw new SlackSecretError(
          `Slack secret ${secretArn} has no signingSecret and no SLACK_SIGNING_SECRET_ARN is set: every request is refused`,
        );
      }
      return signingSecret;
    },
  };
  return source;
}

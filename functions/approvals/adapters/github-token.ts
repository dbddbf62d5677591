import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsClientFactory } from '#platform/aws-clients';

// Re-read every 5 minutes, so a rotated token is picked up without a redeploy.
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * The GitHub token that reads commit authors: the secret's value is the token itself, or JSON `{"token":"…"}`.
 * Cached per container; the value never reaches a log or an error message.
 */
export function secretsManagerGitHubToken(
  clients: AwsClientFactory,
  secretArn: string,
): () => Promise<string> {
  let provider: SecretsProvider | undefined;
  return async () => {
    provider ??= new SecretsProvider({ awsSdkV3Client: clients.client(SecretsManagerClient) });
    const raw = await provider.get(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS });
    const text = typeof raw === 'string' ? raw.trim() : '';
    const token = text.startsWith('{') ? tokenField(text) : text;
    if (!token)
      throw new Error(`GitHub token secret ${secretArn} must hold the token, or JSON {"token":"…"}`);
    return token;
  };
}

function tokenField(json: string): string | undefined {
  try {
    const { token } = JSON.parse(json) as { token?: unknown };
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

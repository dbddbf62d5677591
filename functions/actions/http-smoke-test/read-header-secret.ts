import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { describeIssues } from '#lib/errors';
import { ActionFailure } from '../../../layers/action-runtime/src/action-failure';

const headerSecret = z.record(z.string(), z.string());

/** Headers (e.g. an API key) kept in Secrets Manager; their values are never logged or reported. */
export async function readHeaderSecret(
  client: SecretsManagerClient,
  secretId: string,
  allowedPrefix: string,
): Promise<Record<string, string>> {
  const name = secretId.startsWith('arn:') ? (secretId.split(':secret:')[1] ?? '') : secretId;
  if (!name.startsWith(allowedPrefix)) {
    throw new ActionFailure(
      `headersSecretId must name a secret under "${allowedPrefix}" (the function may read only those).`,
      'ConfigurationError',
    );
  }
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  let json: unknown;
  try {
    json = JSON.parse(response.SecretString ?? '');
  } catch {
    throw new ActionFailure(
      `Secret ${secretId} is not a JSON object of header names to values.`,
      'ConfigurationError',
    );
  }
  const parsed = headerSecret.safeParse(json);
  if (!parsed.success) {
    throw new ActionFailure(
      `Secret ${secretId} is not a JSON object of header names to values: ${describeIssues(parsed.error.issues)}`,
      'ConfigurationError',
    );
  }
  return parsed.data;
}

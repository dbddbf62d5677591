import { createSlackApi, type SlackApi } from './slack-client';
import type { SlackCredentialSource } from './slack-credentials';

/**
 * The Slack client, built on first use from the cached credentials: once per container. A failed attempt
 * (Secrets Manager throttled, say) is forgotten, so the next invocation tries again instead of failing forever.
 */
export function lazySlackApi(
  source: SlackCredentialSource,
  secretArn: string | undefined,
  apiUrl: string | undefined,
): () => Promise<SlackApi> {
  let slack: Promise<SlackApi> | undefined;
  return () => {
    slack ??= source
      .credentials(secretArn)
      .then((credentials) => createSlackApi(credentials.botToken, apiUrl));
    return slack.catch((error: unknown) => {
      slack = undefined;
      throw error;
    });
  };
}

import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { type SlackCredentialSource, secretsManagerSlackCredentials } from './slack-credentials';

/** A handler that talks to Slack is also given where its credentials come from. */
export interface SlackHandlerPlatform extends HandlerPlatform {
  slackCredentials: SlackCredentialSource;
}

export function awsSlackPlatform(): SlackHandlerPlatform {
  const platform = awsPlatform();
  return { ...platform, slackCredentials: secretsManagerSlackCredentials(platform.clients) };
}

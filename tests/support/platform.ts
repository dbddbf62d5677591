import { createAwsClientFactory } from '../../functions/platform/aws-clients';
import type { SlackHandlerPlatform } from '../../functions/platform/slack/slack-platform';
import { developmentSlackCredentials } from '../../local/development-slack-credentials';

/**
 * What the tests give a handler's `createHandler`: real SDK clients (aws-sdk-client-mock or a loopback
 * endpoint answers them) and local mode's development Slack credentials.
 */
export function testPlatform(): SlackHandlerPlatform {
  const clients = createAwsClientFactory();
  return { clients, slackCredentials: developmentSlackCredentials(clients) };
}

import type { ModalView } from '@slack/types';
import { WebClient } from '@slack/web-api';
import type { SlackMessage } from './block-kit';

/** The few Slack Web API calls approvals make, behind an interface the core depends on. */
export interface SlackApi {
  postMessage(
    channel: string,
    message: SlackMessage,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string }>;
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  openModal(triggerId: string, view: ModalView): Promise<void>;
  /** Members of a user group (usergroups:read). */
  userGroupMembers(groupId: string): Promise<string[]>;
  /** A user's e-mail (users.info; users:read.email), undefined when Slack shows none (a bot, a hidden e-mail). */
  userEmail(userId: string): Promise<string | undefined>;
}

/**
 * One attempt per call, `timeoutMs` (2 s unless given) to answer, failing loudly: the caller decides what a
 * failed call means (the Slack endpoint has 3 s in all; the workers record what is still owed).
 */
export function createSlackApi(token: string, slackApiUrl?: string, timeoutMs = 2_000): SlackApi {
  const client = new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
  });
  return {
    async postMessage(channel, message, threadTs) {
      const response = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return { channel: response.channel ?? channel, ts: response.ts ?? '' };
    },
    async updateMessage(channel, ts, message) {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    async postEphemeral(channel, user, text) {
      await client.chat.postEphemeral({ channel, user, text });
    },
    async openModal(triggerId, view) {
      await client.views.open({ trigger_id: triggerId, view });
    },
    async userGroupMembers(groupId) {
      const response = await client.usergroups.users.list({ usergroup: groupId });
      return response.users ?? [];
    },
    async userEmail(userId) {
      const response = await client.users.info({ user: userId });
      return response.user?.profile?.email || undefined;
    },
  };
}

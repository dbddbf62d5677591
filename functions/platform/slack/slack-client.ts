import type { ModalView } from '@slack/types';
import type { SlackMessage } from './block-kit';
import { createSlackWebClient, type SlackAnswer } from './slack-web-client';

/**
 * What a message carries to find it again: `event_type` names what was posted, `event_payload` says which one
 * (Slack "message metadata"; invisible to people, returned by conversations.history with include_all_metadata).
 */
export interface PostMetadata {
  eventType: string;
  /** Flat string values only: a post is found again by comparing them. */
  payload: Record<string, string>;
}

/** The answer to "did an earlier attempt post this already?". */
export type EarlierPost =
  | { found: true; ts: string }
  | { found: false }
  /** Slack would not say (the app lacks channels:history / groups:history, or cannot read the channel). */
  | { found: 'unknown'; reason: string };

/** The few Slack Web API calls approvals make, behind an interface the core depends on. */
export interface SlackApi {
  postMessage(
    channel: string,
    message: SlackMessage,
    threadTs?: string,
    metadata?: PostMetadata,
  ): Promise<{ channel: string; ts: string }>;
  /** Looks through the channel's messages since `oldest` (epoch ms) for one posted with this metadata. */
  findPost(channel: string, metadata: PostMetadata, oldest: number): Promise<EarlierPost>;
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  openModal(triggerId: string, view: ModalView): Promise<void>;
  /** Members of a user group (usergroups:read). */
  userGroupMembers(groupId: string): Promise<string[]>;
  /** A user's e-mail (users.info; users:read.email), undefined when Slack shows none (a bot, a hidden e-mail). */
  userEmail(userId: string): Promise<string | undefined>;
}

// Slack's answers that mean the history cannot be read by this app, as opposed to a failure worth retrying.
const HISTORY_UNREADABLE = new Set([
  'missing_scope',
  'not_in_channel',
  'channel_not_found',
  'not_allowed_token_type',
]);
// A lookup covers the few minutes since the first claim; a channel busier than this many messages in that
// time is not looked through to the end (the post is then made again: at least once, never skipped).
const HISTORY_PAGE_SIZE = 200;
const HISTORY_MAX_PAGES = 5;

/** The part of a conversations.history page read here. */
type HistoryPage = SlackAnswer & {
  messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
};

const slackTs = (epochMs: number) => (epochMs / 1000).toFixed(6);

const matches = (
  found: { event_type?: string; event_payload?: Record<string, unknown> } | undefined,
  wanted: PostMetadata,
) =>
  found?.event_type === wanted.eventType &&
  Object.entries(wanted.payload).every(([key, value]) => found.event_payload?.[key] === value);

/**
 * One attempt per call, `timeoutMs` (2 s unless given) to answer, failing loudly: the caller decides what a
 * failed call means (the Slack endpoint has 3 s in all; the workers record what is still owed).
 */
export function createSlackApi(token: string, slackApiUrl?: string, timeoutMs = 2_000): SlackApi {
  const client = createSlackWebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), timeoutMs });
  return {
    async postMessage(channel, message, threadTs, metadata) {
      const response = await client.call<SlackAnswer & { channel?: string; ts?: string }>(
        'chat.postMessage',
        {
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(metadata
            ? { metadata: { event_type: metadata.eventType, event_payload: metadata.payload } }
            : {}),
        },
      );
      return { channel: response.channel ?? channel, ts: response.ts ?? '' };
    },
    async findPost(channel, metadata, oldest) {
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
        let response: HistoryPage;
        try {
          response = await client.call<HistoryPage>('conversations.history', {
            channel,
            oldest: slackTs(oldest),
            include_all_metadata: true,
            limit: HISTORY_PAGE_SIZE,
            ...(cursor ? { cursor } : {}),
          });
        } catch (error) {
          const code = (error as { data?: { error?: string } }).data?.error;
          if (code && HISTORY_UNREADABLE.has(code)) return { found: 'unknown', reason: code };
          throw error;
        }
        const post = response.messages?.find((message) => matches(message.metadata, metadata));
        if (post?.ts) return { found: true, ts: post.ts };
        cursor = response.response_metadata?.next_cursor || undefined;
        if (!response.has_more || !cursor) return { found: false };
      }
      return {
        found: 'unknown',
        reason: `more than ${HISTORY_PAGE_SIZE * HISTORY_MAX_PAGES} messages since the first attempt`,
      };
    },
    async updateMessage(channel, ts, message) {
      await client.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks });
    },
    async postEphemeral(channel, user, text) {
      await client.call('chat.postEphemeral', { channel, user, text });
    },
    async openModal(triggerId, view) {
      await client.call('views.open', { trigger_id: triggerId, view });
    },
    async userGroupMembers(groupId) {
      const response = await client.call<SlackAnswer & { users?: string[] }>('usergroups.users.list', {
        usergroup: groupId,
      });
      return response.users ?? [];
    },
    async userEmail(userId) {
      const response = await client.call<SlackAnswer & { user?: { profile?: { email?: string } } }>(
        'users.info',
        { user: userId },
      );
      return response.user?.profile?.email || undefined;
    },
  };
}

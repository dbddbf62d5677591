import type { SlackMessage } from './block-kit';
import type { PostMetadata, SlackApi } from './slack-client';

/** Slack's clock and Lambda's may differ a little: the history is read from a minute before the first attempt. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Posts a message that must appear once. The message carries `metadata` naming it; when an earlier attempt
 * started posting it at `earlierSince` and recorded no answer (lost, or the attempt died), the channel's history
 * since then is read first and a post found there is answered instead of posting again. When the history cannot
 * be read (the app lacks channels:history / groups:history) it posts again and warns: at least once, never skipped.
 */
export async function postOnce(
  api: SlackApi,
  request: {
    channel: string;
    message: SlackMessage;
    metadata: PostMetadata;
    earlierSince: string | undefined;
    /** What is posted, for the warning ("approval request", "rollback announcement"). */
    what: string;
  },
  warn: (message: string, context: Record<string, unknown>) => void,
): Promise<{ channel: string; ts: string; foundEarlier: boolean }> {
  const { channel, metadata, earlierSince } = request;
  if (earlierSince) {
    const earlier = await api.findPost(channel, metadata, Date.parse(earlierSince) - CLOCK_SKEW_MS);
    if (earlier.found === true) return { channel, ts: earlier.ts, foundEarlier: true };
    if (earlier.found === 'unknown') {
      warn(
        `Cannot look for an earlier post of this ${request.what}; posting it again, which may show it twice. Give the Slack app channels:history and groups:history to prevent this`,
        { channel, ...metadata.payload, reason: earlier.reason },
      );
    }
  }
  const posted = await api.postMessage(channel, request.message, undefined, metadata);
  return { ...posted, foundEarlier: false };
}

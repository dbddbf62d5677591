import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: requests signed more than 5 minutes from now are refused (api.slack.com/authentication/verifying-requests-from-slack). */
export const SLACK_MAX_CLOCK_SKEW_SECONDS = 300;

export interface SlackSignedRequest {
  /** The `X-Slack-Signature` header, `v0=<hex>`. */
  signature: string | undefined;
  /** The `X-Slack-Request-Timestamp` header, epoch seconds. */
  timestamp: string | undefined;
  /** The raw request body exactly as received: parsing it first makes verification impossible. */
  rawBody: string;
}

export type SignatureVerdict =
  | { valid: true }
  | { valid: false; reason: 'missing-headers' | 'malformed-timestamp' | 'stale-timestamp' | 'bad-signature' };

/**
 * Verifies a request from Slack: v0 HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's signing
 * secret, compared in constant time, and refused outside the 5-minute replay window. The timestamp is part
 * of the signed string, so replaying a captured body with a fresh timestamp fails too.
 */
export function verifySlackSignature(
  request: SlackSignedRequest,
  signingSecret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureVerdict {
  const { signature, timestamp, rawBody } = request;
  if (!signature || !timestamp) return { valid: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'malformed-timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_CLOCK_SKEW_SECONDS) {
    return { valid: false, reason: 'stale-timestamp' };
  }
  // Buffer.from encodes strings as UTF-8.
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`,
  );
  const received = Buffer.from(signature);
  // timingSafeEqual throws on different lengths; the length of a hex digest is public anyway.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { valid: false, reason: 'bad-signature' };
  }
  return { valid: true };
}

/** Signs a body like Slack does: for tests and for local mode's signed requests. */
export function signSlackRequest(rawBody: string, signingSecret: string, timestamp: number) {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}

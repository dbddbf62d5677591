import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests signed more than 5 minutes from now are refused, so a captured request cannot be replayed later. */
export const CI_MAX_CLOCK_SKEW_SECONDS = 300;

export const CI_SIGNATURE_HEADER = 'x-ci-signature';
export const CI_TIMESTAMP_HEADER = 'x-ci-timestamp';

export type CiSignatureVerdict = { valid: true } | { valid: false; reason: string };

function signatureOf(rawBody: string, secret: string, timestamp: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Slack's scheme with its own names (docs/other-ci.md): `X-CI-Signature: v1=<hex HMAC-SHA256(secret,
 * "v1:" + X-CI-Timestamp + ":" + raw body)>`, compared in constant time. The timestamp (epoch seconds) is
 * signed too, so a captured body sent again with a fresh timestamp fails.
 */
export function verifyCiSignature(
  headers: Record<string, string | undefined>,
  rawBody: string,
  secret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): CiSignatureVerdict {
  const signature = headers[CI_SIGNATURE_HEADER];
  const timestamp = headers[CI_TIMESTAMP_HEADER];
  if (!signature || !timestamp) {
    return { valid: false, reason: 'missing X-CI-Signature or X-CI-Timestamp header' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { valid: false, reason: 'X-CI-Timestamp is not epoch seconds' };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > CI_MAX_CLOCK_SKEW_SECONDS) {
    return {
      valid: false,
      reason: `X-CI-Timestamp is more than ${CI_MAX_CLOCK_SKEW_SECONDS} seconds from now`,
    };
  }
  // Buffer.from encodes strings as UTF-8.
  const expected = Buffer.from(signatureOf(rawBody, secret, timestamp));
  const received = Buffer.from(signature);
  // timingSafeEqual throws on different lengths; the length of a hex digest is public anyway.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { valid: false, reason: 'X-CI-Signature does not match the body' };
  }
  return { valid: true };
}

/** The headers a sender adds: for tests, local mode and the demo (docs/other-ci.md shows it with openssl). */
export function signCiRequest(rawBody: string, secret: string, timestamp: number) {
  return {
    [CI_SIGNATURE_HEADER]: signatureOf(rawBody, secret, String(timestamp)),
    [CI_TIMESTAMP_HEADER]: String(timestamp),
  };
}

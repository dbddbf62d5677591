import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signSlackRequest,
  verifySlackSignature,
} from '../../../functions/approvals/slack-interactions/verify-slack-signature';

// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
const SLACK_EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const NOW = 1531420618;

describe('verifySlackSignature', () => {
  it("accepts Slack's own published example", () => {
    const verdict = verifySlackSignature(
      { signature: SLACK_EXAMPLE.signature, timestamp: SLACK_EXAMPLE.timestamp, rawBody: SLACK_EXAMPLE.body },
      SLACK_EXAMPLE.secret,
      NOW,
    );
    expect(verdict).toEqual({ valid: true });
  });

  const secret = 'dev-signing-secret';
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
  const signed = signSlackRequest(body, secret, NOW);

  it.each([
    [
      'a forged signature',
      { signature: `v0=${'0'.repeat(64)}`, timestamp: String(NOW), rawBody: body },
      NOW,
      'bad-signature',
    ],
    [
      'a signature made with another secret',
      { ...headers(signSlackRequest(body, 'other', NOW)), rawBody: body },
      NOW,
      'bad-signature',
    ],
    ['a tampered body', { ...headers(signed), rawBody: `${body}x` }, NOW, 'bad-signature'],
    [
      'a replay with a new timestamp',
      { signature: signed['x-slack-signature'], timestamp: String(NOW + 200), rawBody: body },
      NOW + 200,
      'bad-signature',
    ],
    ['a stale request (5 min 1 s old)', { ...headers(signed), rawBody: body }, NOW + 301, 'stale-timestamp'],
    ['a request from the future', { ...headers(signed), rawBody: body }, NOW - 301, 'stale-timestamp'],
    [
      'missing headers',
      { signature: undefined, timestamp: undefined, rawBody: body },
      NOW,
      'missing-headers',
    ],
    [
      'a non-numeric timestamp',
      { signature: signed['x-slack-signature'], timestamp: '12a', rawBody: body },
      NOW,
      'malformed-timestamp',
    ],
    [
      'a truncated signature',
      { signature: 'v0=abc', timestamp: String(NOW), rawBody: body },
      NOW,
      'bad-signature',
    ],
  ])('rejects %s', (_case, request, now, reason) => {
    expect(verifySlackSignature(request, secret, now)).toEqual({ valid: false, reason });
  });

  it('accepts a request exactly 5 minutes old', () => {
    expect(verifySlackSignature({ ...headers(signed), rawBody: body }, secret, NOW + 300)).toEqual({
      valid: true,
    });
  });
});

function headers(signedHeaders: Record<string, string>) {
  return {
    signature: signedHeaders['x-slack-signature'],
    timestamp: signedHeaders['x-slack-request-timestamp'],
  };
}

describe('verifySlackSignature: each header and the timestamp format on its own', () => {
  const secret = 'dev-signing-secret';
  const body = 'payload=%7B%7D';
  const signed = signSlackRequest(body, secret, NOW);

  it('refuses a request missing only the signature, or only the timestamp, as missing headers', () => {
    expect(
      verifySlackSignature({ signature: undefined, timestamp: String(NOW), rawBody: body }, secret, NOW),
    ).toEqual({ valid: false, reason: 'missing-headers' });
    expect(
      verifySlackSignature(
        { signature: signed['x-slack-signature'], timestamp: undefined, rawBody: body },
        secret,
        NOW,
      ),
    ).toEqual({ valid: false, reason: 'missing-headers' });
  });

  it('refuses a timestamp with anything before or after its digits, even when the signature covers it', () => {
    for (const timestamp of [`x${NOW}`, `${NOW}x`, ` ${NOW}`, '1234567890123']) {
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      expect(verifySlackSignature({ signature, timestamp, rawBody: body }, secret, NOW)).toEqual({
        valid: false,
        reason: 'malformed-timestamp',
      });
    }
  });

  it('checks against the current clock when no time is given', () => {
    const current = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest(body, secret, current);
    expect(
      verifySlackSignature(
        {
          signature: headers['x-slack-signature'],
          timestamp: headers['x-slack-request-timestamp'],
          rawBody: body,
        },
        secret,
      ),
    ).toEqual({ valid: true });
  });
});

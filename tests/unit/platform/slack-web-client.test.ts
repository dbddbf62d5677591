import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient, SLACK_ERROR_CODES } from '../../../functions/platform/slack/slack-web-client';
import { classifyActError } from '../../../functions/rollback/domain/act-error';
import { listenOnLoopback } from '../../../local/loopback';

interface Received {
  path: string;
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A stand-in for slack.com/api that answers what the test scripts for each method. */
const answers: Record<string, { status: number; headers?: Record<string, string>; body: string }> = {};
const received: Received[] = [];
const server = createServer(async (request: IncomingMessage, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const path = request.url ?? '';
  received.push({
    path,
    authorization: request.headers.authorization,
    form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
  });
  const answer = answers[path.split('/').pop() ?? ''] ?? { status: 200, body: '{"ok":true}' };
  response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  response.end(answer.body);
});
let client: ReturnType<typeof createSlackWebClient>;

beforeAll(async () => {
  const port = await listenOnLoopback(server);
  client = createSlackWebClient('xoxb-test', {
    slackApiUrl: `http://127.0.0.1:${port}/api/`,
    timeoutMs: 2_000,
  });
});
afterAll(() => server.close());

describe('the Slack Web API client', () => {
  it('posts a form with the token as a bearer header and objects as JSON, and returns the answer', async () => {
    answers['chat.postMessage'] = { status: 200, body: '{"ok":true,"channel":"C1","ts":"1.000001"}' };
    const answer = await client.call('chat.postMessage', {
      channel: 'C1',
      blocks: [{ type: 'section' }],
      thread_ts: undefined,
      limit: 200,
    });
    expect(answer).toEqual({ ok: true, channel: 'C1', ts: '1.000001' });
    expect(received.at(-1)).toEqual({
      path: '/api/chat.postMessage',
      authorization: 'Bearer xoxb-test',
      form: { channel: 'C1', blocks: '[{"type":"section"}]', limit: '200' },
    });
  });

  it.each([
    [
      'ok: false as a refusal carrying Slack answer',
      { status: 200, body: '{"ok":false,"error":"not_in_channel"}' },
      {
        name: 'WebAPIPlatformError',
        code: SLACK_ERROR_CODES.platform,
        data: { ok: false, error: 'not_in_channel' },
      },
      'refused',
    ],
    [
      'HTTP 429 as rate limited, with Retry-After in seconds',
      { status: 429, headers: { 'retry-after': '7' }, body: '{"ok":false,"error":"ratelimited"}' },
      { name: 'WebAPIRateLimitedError', code: SLACK_ERROR_CODES.rateLimited, retryAfter: 7 },
      'not-applied',
    ],
    [
      'another HTTP status as an HTTP error',
      { status: 500, body: '{"ok":false,"error":"internal_error"}' },
      { name: 'WebAPIHTTPError', code: SLACK_ERROR_CODES.http, statusCode: 500 },
      'unknown',
    ],
  ])('reports %s', async (_, answer, error, kind) => {
    answers['chat.update'] = answer;
    const thrown = await client.call('chat.update', { channel: 'C1', ts: '1.0' }).catch((caught) => caught);
    expect(thrown).toMatchObject(error);
    expect(classifyActError(thrown)).toBe(kind);
  });

  it('reports no answer as a request error', async () => {
    const unreachable = createSlackWebClient('xoxb-test', {
      slackApiUrl: 'http://127.0.0.1:1/api',
      timeoutMs: 500,
    });
    const thrown = await unreachable.call('users.info', { user: 'U1' }).catch((caught) => caught);
    expect(thrown).toMatchObject({ name: 'WebAPIRequestError', code: SLACK_ERROR_CODES.request });
    expect(classifyActError(thrown)).toBe('unknown');
  });
});

import { createServer, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultKind, markCrashed } from './fault-injection';
import { listenOnLoopback } from './loopback';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** A chat.postMessage Slack kept: its ts. These posts are the channels' history (cleared with `calls`). */
  posted?: string;
}

/**
 * A real HTTP server standing in for slack.com/api: the Slack client talks to it through `slackApiUrl`, so the
 * client's own serialization is exercised. It records every call and answers like Slack.
 */
export async function startSlackSink(
  options: {
    groupMembers?: Record<string, string[]>;
    /** users.info e-mails by user id; a user not listed is `<user id in lower case>@example.com`. */
    userEmails?: Record<string, string>;
    /** Tests: answer a call differently (an HTTP 500, `ok: false`); undefined keeps Slack's usual answer. */
    answer?: (call: SlackCall) => { status: number; body: Record<string, unknown> } | undefined;
    /** Local fault injection: the fault to inject into this call of `method`, if any. */
    fault?: (method: string) => FaultKind | undefined;
    /** Tests: how long Slack takes to answer each call (a slow Slack); changeable later through `slowDown`. */
    delayMs?: number;
  } = {},
) {
  const calls: SlackCall[] = [];
  // Slack's ts is the post's time in seconds with microseconds, unique in a channel; conversations.history's
  // `oldest` compares against it, so it follows the wall clock.
  let lastMicros = 0;
  const nextTs = () => {
    lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };
  let delayMs = options.delayMs ?? 0;
  const server = createServer(async (request, response) => {
    const method = (request.url ?? '').replace(/^\/+(api\/)?/, '').split('?')[0] ?? '';
    const args = parseArgs(request.headers['content-type'], await readBody(request));
    if (delayMs > 0) await sleep(delayMs);
    const fault = options.fault?.(method);
    if (fault === 'throttle') {
      // Not applied: Slack's rate limit answer.
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (fault === 'timeout') {
      // Not applied: the connection dies before Slack saw the call.
      await sleep(25);
      response.destroy();
      return;
    }
    const scripted = options.answer?.({ method, args });
    // A post is applied here, before any lost answer: the channel's history then shows it, as Slack's would. A
    // scripted answer (a refusal, an HTTP 500) stands for a post Slack did not keep.
    const posted = method === 'chat.postMessage' && !scripted ? nextTs() : undefined;
    calls.push({ method, args, ...(posted ? { posted } : {}) });
    if (fault === 'lost-response') {
      // Applied, and the answer never arrives.
      response.destroy();
      return;
    }
    if (fault === 'crash-after') markCrashed();
    if (scripted) {
      response.writeHead(scripted.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(scripted.body));
      return;
    }
    let body: Record<string, unknown> = { ok: true };
    if (posted) body = { ok: true, channel: args.channel, ts: posted };
    if (method === 'conversations.history') body = { ok: true, ...historyPage(calls, args) };
    if (method === 'chat.update') body = { ok: true, channel: args.channel, ts: args.ts };
    if (method === 'usergroups.users.list')
      body = { ok: true, users: options.groupMembers?.[String(args.usergroup)] ?? [] };
    if (method === 'users.info') {
      const id = String(args.user);
      body = {
        ok: true,
        user: { id, profile: { email: options.userEmails?.[id] ?? `${id.toLowerCase()}@example.com` } },
      };
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (method: string) => calls.filter((call) => call.method === method),
    slowDown: (ms: number) => {
      delayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * conversations.history as Slack answers it: the channel's kept posts newer than `oldest`, newest first, `limit`
 * per page with a cursor, and each message's metadata only when `include_all_metadata` is true.
 */
function historyPage(calls: readonly SlackCall[], args: Record<string, unknown>) {
  const oldest = Number(args.oldest ?? 0);
  const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const newestFirst = calls
    .filter((call) => call.posted && call.args.channel === args.channel && Number(call.posted) > oldest)
    .reverse();
  const start = Number(args.cursor ?? 0) || 0;
  const page = newestFirst.slice(start, start + limit);
  const more = start + limit < newestFirst.length;
  return {
    messages: page.map((call) => ({
      type: 'message',
      ts: call.posted,
      text: call.args.text,
      ...(withMetadata && call.args.metadata ? { metadata: call.args.metadata } : {}),
    })),
    has_more: more,
    response_metadata: { next_cursor: more ? String(start + limit) : '' },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseArgs(contentType: string | undefined, body: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(body || '{}');
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    // The client JSON-encodes nested arguments (blocks, view) inside the form.
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

import * as z from 'zod/mini';

/** What a webhook handler reads of a Function URL request: lower-cased headers and the exact body. */
export interface WebhookRequest {
  headers: Record<string, string>;
  rawBody: string;
}

/** The JSON answer of a Function URL. */
export interface WebhookAnswer {
  statusCode: number;
  headers: { 'content-type': 'application/json' };
  body: string;
}

const functionUrlEvent = z.object({
  headers: z._default(z.record(z.string(), z.string()), {}),
  body: z.optional(z.string()),
  isBase64Encoded: z._default(z.boolean(), false),
});

/** Undefined when the invocation is no Function URL request at all. */
export function webhookRequestOf(event: unknown): WebhookRequest | undefined {
  const parsed = functionUrlEvent.safeParse(event);
  if (!parsed.success) return undefined;
  const { headers, body = '', isBase64Encoded } = parsed.data;
  // Function URLs base64-encode bodies they do not consider text; signatures cover the decoded bytes.
  const rawBody = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  return {
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    rawBody,
  };
}

export function answer(statusCode: number, body: Record<string, unknown>): WebhookAnswer {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** 202: understood and authentic, but nothing to record; the reason says why. */
export const ignored = (reason: string) => answer(202, { status: 'ignored', reason });
/** 400: a malformed request; nothing was written. */
export const rejected = (reason: string) => answer(400, { status: 'rejected', reason });
/** 401: not signed with the shared secret (or too old); nothing was read further. */
export const unauthorized = (reason: string) => answer(401, { status: 'unauthorized', reason });

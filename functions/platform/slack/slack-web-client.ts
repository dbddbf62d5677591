/**
 * The Slack Web API over `fetch`, for the few methods approvals and rollback call: one POST per call, no
 * queue and no retries (the callers own those), Slack's own error shapes. @slack/web-api (with its request
 * queue, retry and file-upload machinery, 41 KB in every Slack function's bundle) did the same for these
 * calls; its error codes are kept, so code that classifies Slack errors does not change.
 */

export const SLACK_ERROR_CODES = {
  /** Slack answered `ok: false`: it refused (not_in_channel, invalid_auth…); `data` is its answer. */
  platform: 'slack_webapi_platform_error',
  /** HTTP 429: Slack asks to wait `retryAfter` seconds; nothing was applied. */
  rateLimited: 'slack_webapi_rate_limited_error',
  /** Another HTTP status: Slack may or may not have acted. */
  http: 'slack_webapi_http_error',
  /** No answer (timeout, network): Slack may or may not have acted. */
  request: 'slack_webapi_request_error',
} as const;

/** A Slack answer: `ok` and the method's fields. */
export type SlackAnswer = { ok: boolean; error?: string } & Record<string, unknown>;

export class WebAPIPlatformError extends Error {
  override name = 'WebAPIPlatformError';
  readonly code = SLACK_ERROR_CODES.platform;
  constructor(readonly data: SlackAnswer) {
    super(`An API error occurred: ${data.error}`);
  }
}

export class WebAPIRateLimitedError extends Error {
  override name = 'WebAPIRateLimitedError';
  readonly code = SLACK_ERROR_CODES.rateLimited;
  constructor(readonly retryAfter: number | undefined) {
    super(`A rate limit was exceeded: retry after ${retryAfter ?? 'an unknown number of'} seconds`);
  }
}

export class WebAPIHTTPError extends Error {
  override name = 'WebAPIHTTPError';
  readonly code = SLACK_ERROR_CODES.http;
  constructor(readonly statusCode: number) {
    super(`An HTTP protocol error occurred: statusCode = ${statusCode}`);
  }
}

export class WebAPIRequestError extends Error {
  override name = 'WebAPIRequestError';
  readonly code = SLACK_ERROR_CODES.request;
  constructor(readonly original: Error) {
    super(`A request error occurred: ${original.message}`, { cause: original });
  }
}

export const SLACK_API_URL = 'https://slack.com/api/';

/**
 * Form-encoded as @slack/web-api sends them (Slack's read methods do not all take JSON bodies): strings as
 * they are, objects and arrays (blocks, metadata, views) as JSON, undefined left out.
 */
function formBody(args: Record<string, unknown>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    form.append(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  return form;
}

export interface SlackWebClient {
  call<T extends SlackAnswer = SlackAnswer>(method: string, args: Record<string, unknown>): Promise<T>;
}

export function createSlackWebClient(
  token: string,
  options: { slackApiUrl?: string; timeoutMs: number; fetch?: typeof fetch },
): SlackWebClient {
  const base = (options.slackApiUrl ?? SLACK_API_URL).replace(/\/+$/, '');
  const send = options.fetch ?? fetch;
  return {
    async call<T extends SlackAnswer>(method: string, args: Record<string, unknown>): Promise<T> {
      let response: Response;
      let text: string;
      try {
        response = await send(`${base}/${method}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: formBody(args),
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw new WebAPIRequestError(error instanceof Error ? error : new Error(String(error)));
      }
      if (response.status === 429) {
        const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
        throw new WebAPIRateLimitedError(Number.isNaN(retryAfter) ? undefined : retryAfter);
      }
      // Slack's Web API uses no status besides 200 and 429 for its answers.
      if (response.status !== 200) throw new WebAPIHTTPError(response.status);
      let answer: SlackAnswer;
      try {
        answer = JSON.parse(text) as SlackAnswer;
      } catch (error) {
        throw new WebAPIRequestError(error as Error);
      }
      if (!answer.ok) throw new WebAPIPlatformError(answer);
      return answer as T;
    },
  };
}

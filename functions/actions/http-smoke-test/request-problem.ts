/**
 * A failed request in a fixed vocabulary. Never the error's message: fetch quotes header values in some
 * (`Headers.append: "…" is an invalid header value`), and the problem is reported to CodePipeline, logged
 * and kept in the continuation token. Only error codes (`ECONNREFUSED`, letters, digits, `_`) are kept.
 */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (name === 'AbortError' || name === 'ActionTimeout') return 'aborted (the invocation ran out of time)';
  const cause = error instanceof Error ? error.cause : undefined;
  const code = codeOf(cause) ?? codeOf(error);
  if (code !== undefined) return `${problemForCode(code)} (${code})`;
  if (cause instanceof Error && cause.message === 'bad port') return 'port not allowed by fetch';
  if (error instanceof TypeError && cause === undefined) {
    // Thrown before any connection: a header fetch refuses, or a URL it cannot request.
    return /header/i.test(error.message) ? 'invalid header' : 'invalid request';
  }
  return 'unknown error';
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
}

function problemForCode(code: string): string {
  if (/^(ENOTFOUND|EAI_)/.test(code)) return 'DNS lookup failed';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return 'connection closed';
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'response timeout';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (
    /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/.test(code)
  ) {
    return 'TLS error';
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return 'invalid header';
  }
  return 'network error';
}

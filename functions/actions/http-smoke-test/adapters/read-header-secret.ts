import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ActionFailure } from '@pipeline-control-plane/action-runtime';

/**
 * Headers (e.g. an API key) kept in Secrets Manager, and the origins they may be sent to. The values are
 * never logged or reported: every message here names the secret, a header name or an origin, never a value.
 */
export interface HeaderSecret {
  /** Normalised origins (`https://api.example.com`, default port dropped). */
  readonly allowedOrigins: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

export const SECRET_SHAPE = '{"allowedOrigins":["https://api.example.com"],"headers":{"x-api-key":"…"}}';

// RFC 9110 section 5.1 field-name = token; section 5.6.2 tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 section 5.5 field-value: VCHAR, obs-text (0x80-0xFF), SP and HTAB inside; no CR, LF, NUL or other controls.
const FIELD_VALUE = /^[\t\x20-\x7E\x80-\xFF]*$/;
// What fetch strips from both ends of a header value itself (HTTP whitespace).
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const MAX_ORIGINS = 20;

export async function readHeaderSecret(
  client: SecretsManagerClient,
  secretId: string,
  allowedPrefix: string,
): Promise<HeaderSecret> {
  const name = secretId.startsWith('arn:') ? (secretId.split(':secret:')[1] ?? '') : secretId;
  if (!name.startsWith(allowedPrefix)) {
    throw new ActionFailure(
      `headersSecretId must name a secret under "${allowedPrefix}" (the function may read only those).`,
      'ConfigurationError',
    );
  }
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const invalid = (problem: string) =>
    new ActionFailure(`Secret ${secretId}: ${problem}. Expected ${SECRET_SHAPE}.`, 'ConfigurationError');
  let json: unknown;
  try {
    json = JSON.parse(response.SecretString ?? '');
  } catch {
    // Not the parser's message: it quotes the text around the error, that is the secret.
    throw invalid('not JSON');
  }
  if (!isObject(json)) throw invalid('not a JSON object');
  if (!('allowedOrigins' in json) && !('headers' in json)) {
    throw invalid(
      'holds header names and values directly (the old shape), which could be sent to any host; ' +
        'move them under "headers" and list the origins they are for in "allowedOrigins"',
    );
  }
  const unknownKeys = Object.keys(json).filter((key) => key !== 'allowedOrigins' && key !== 'headers');
  // Not named: a key there may be a header pasted at the wrong level, or a value pasted as a key.
  if (unknownKeys.length > 0) throw invalid('it holds keys other than "allowedOrigins" and "headers"');
  return {
    allowedOrigins: readOrigins(json.allowedOrigins, invalid),
    headers: readHeaders(json.headers, invalid),
  };
}

function readOrigins(value: unknown, invalid: (problem: string) => ActionFailure): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ORIGINS) {
    throw invalid(`"allowedOrigins" must be a list of 1 to ${MAX_ORIGINS} origins`);
  }
  return value.map((entry, index) => {
    const origin = typeof entry === 'string' ? originOf(entry) : undefined;
    if (origin === undefined) {
      // Quoted only when it looks like a URL: anything else may be a header value put in the wrong list.
      const looksLikeUrl = typeof entry === 'string' && /^https?:\/\/[^\s]*$/i.test(entry);
      const what = looksLikeUrl ? quote(entry) : `entry number ${index + 1}`;
      throw invalid(
        `"allowedOrigins" ${what} is not an origin (http or https, a host, an optional port; no path, query, ` +
          'fragment or user)',
      );
    }
    return origin;
  });
}

/** `https://Example.com:443/` → `https://example.com`; undefined for anything that is not just an origin. */
export function originOf(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && !url.username && !url.password;
  if (!bare || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(text)) return undefined;
  return url.origin;
}

function readHeaders(value: unknown, invalid: (problem: string) => ActionFailure): Record<string, string> {
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw invalid('"headers" must be a JSON object of header names to values');
  }
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [index, [name, raw]] of Object.entries(value).entries()) {
    // By position only: a name that is not a token may be a value pasted as a name ("x-api-key: …").
    if (!TOKEN.test(name)) throw invalid(`header name number ${index + 1} is not an HTTP token (RFC 9110)`);
    if (seen.has(name.toLowerCase())) throw invalid(`header "${name}" is given twice (names ignore case)`);
    seen.add(name.toLowerCase());
    if (typeof raw !== 'string') throw invalid(`the value of header "${name}" is not a string`);
    const trimmed = raw.replace(EDGE_WHITESPACE, '');
    if (!FIELD_VALUE.test(trimmed)) {
      throw invalid(
        `the value of header "${name}" is not a valid HTTP field value (it contains CR, LF, NUL, another ` +
          'control character or a character above U+00FF)',
      );
    }
    headers[name] = trimmed;
  }
  return headers;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON-quoted and cut short: a URL meant as an origin is not a secret, but may be long. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * CodePipeline's limits on job results (botocore codepipeline service-2.json; user guide limits.md,
 * "Variable quotas"). Exceeding them makes PutJob*Result fail with ValidationException or
 * OutputVariablesSizeExceededException, which would leave the job hanging: we clamp instead.
 */
export const SUMMARY_MAX_CHARS = 2048;
export const FAILURE_MESSAGE_MAX_CHARS = 5000;
export const CONTINUATION_TOKEN_MAX_CHARS = 2048;
export const OUTPUT_VARIABLES_MAX_BYTES = 122_880;
export const TRUNCATION_MARKER = '…[truncated]';
export const TRUNCATED_VARIABLES_KEY = 'outputVariablesTruncated';

const OUTPUT_VARIABLE_KEY = /^[A-Za-z0-9@\-_]+$/;

/** Cuts text to `max` UTF-16 units (never more characters than CodePipeline counts), with a marker. */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  return truncateWithMarker(text, max, (s) => s.length);
}

/** Cuts text to `maxBytes` of UTF-8 without splitting a character, ending with the marker. */
export function clampUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  return truncateWithMarker(text, maxBytes, (s) => Buffer.byteLength(s));
}

function truncateWithMarker(text: string, max: number, size: (s: string) => number): string {
  const budget = max - size(TRUNCATION_MARKER);
  if (budget <= 0) return TRUNCATION_MARKER.slice(0, Math.max(0, max));
  let kept = '';
  let used = 0;
  for (const char of text) {
    const charSize = size(char);
    if (used + charSize > budget) break;
    kept += char;
    used += charSize;
  }
  return kept + TRUNCATION_MARKER;
}

/** Replaces characters CodePipeline refuses in variable names (pattern `[A-Za-z0-9@\-_]+`). */
export function sanitizeVariableKey(key: string): string | undefined {
  if (OUTPUT_VARIABLE_KEY.test(key)) return key;
  const cleaned = key.replace(/[^A-Za-z0-9@\-_]/g, '_');
  return cleaned.length > 0 ? cleaned : undefined;
}

export interface ClampedVariables {
  readonly variables: Record<string, string>;
  /** Keys whose value was cut or which were dropped for lack of room. */
  readonly truncatedKeys: readonly string[];
}

/**
 * Keeps output variables under 122,880 bytes in total (keys and values counted, to be safe: AWS does not
 * say whether keys count). Values that do not fit are cut with a marker, later ones dropped, and the
 * variable `outputVariablesTruncated` lists what was affected so a later stage can notice.
 */
export function clampOutputVariables(
  input: Iterable<readonly [string, string]>,
  maxBytes: number = OUTPUT_VARIABLES_MAX_BYTES,
): ClampedVariables {
  const reserve = 512; // room for the outputVariablesTruncated variable itself
  const budget = maxBytes - reserve;
  const kept = new Map<string, string>();
  const truncatedKeys: string[] = [];
  let used = 0;
  for (const [rawKey, value] of input) {
    const key = sanitizeVariableKey(rawKey);
    if (!key || key === TRUNCATED_VARIABLES_KEY) continue;
    // Two names may sanitise to one ("a b", "a_b"): the last one wins, and the first one's bytes are freed.
    used -= sizeOf(key, kept.get(key));
    kept.delete(key);
    const size = sizeOf(key, value);
    if (used + size <= budget) {
      kept.set(key, value);
      used += size;
      continue;
    }
    truncatedKeys.push(key);
    const room = budget - used - Buffer.byteLength(key);
    if (room > Buffer.byteLength(TRUNCATION_MARKER)) {
      const cut = clampUtf8(value, room);
      kept.set(key, cut);
      used += sizeOf(key, cut);
    }
  }
  if (truncatedKeys.length > 0) {
    kept.set(TRUNCATED_VARIABLES_KEY, clampUtf8(truncatedKeys.join(','), reserve - 64));
  }
  // fromEntries defines "__proto__" as an ordinary key, where an assignment would drop it.
  return { variables: Object.fromEntries(kept), truncatedKeys };
}

function sizeOf(key: string, value: string | undefined): number {
  return value === undefined ? 0 : Buffer.byteLength(key) + Buffer.byteLength(value);
}

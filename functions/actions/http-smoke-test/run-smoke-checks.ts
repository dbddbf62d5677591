import { ActionFailure, type ActionResult } from '@pipeline-control-plane/action-runtime';
import type { HeaderSecret } from './adapters/read-header-secret';
import { type AddressPolicy, checkTarget, type ResolveHost } from './address-guard';
import { type BodyPattern, compileBodyPatterns } from './body-pattern';
import { describeRequestError } from './request-problem';
import type { SmokeCheck, SmokeTestParams, SmokeTestState } from './smoke-test-params';

export interface SmokeDependencies {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Time left in this invocation (the runtime fails the job when it runs out). */
  readonly remainingTimeMs: () => number;
  readonly signal: AbortSignal;
  /** Headers from `headersSecretId`, sent only to the secret's allowedOrigins. */
  readonly secret?: HeaderSecret;
  readonly resolveHost: ResolveHost;
  /** Production: refuseLocalAddresses. Tests of a loopback server allow its address here, nowhere else. */
  readonly addressPolicy: AddressPolicy;
}

const REFUSED_RANGES_TEXT = 'loopback, link-local or unspecified addresses';

// Time kept free at the end of an invocation to hand over to the next one.
const HANDOVER_MS = 1_000;

/**
 * Runs the checks in order, each until it passes or runs out of attempts, with exponential backoff. What
 * does not fit in this invocation continues in the next one (state in the continuation token); the whole
 * run is bounded by budgetSeconds since the first invocation.
 */
export async function runSmokeChecks(
  params: SmokeTestParams,
  previous: SmokeTestState | undefined,
  deps: SmokeDependencies,
): Promise<ActionResult<SmokeTestState>> {
  const state: SmokeTestState = previous ?? { startedAt: deps.now(), next: 0, attempt: 0, slowestMs: 0 };
  const deadline = state.startedAt + params.budgetSeconds * 1000;
  if (deps.secret) refuseUnlistedOrigins(params.checks, deps.secret);
  const bodyPatterns = await compileBodyPatterns('http-smoke-test', params.checks);

  while (state.next < params.checks.length) {
    const check = params.checks[state.next] as SmokeCheck;
    if (deps.now() >= deadline) {
      throw new ActionFailure(
        `Smoke test gave up after ${params.budgetSeconds} s on ${check.method} ${check.url}: ` +
          `${state.lastProblem ?? 'not checked yet'} (${state.next} of ${params.checks.length} checks passed).`,
      );
    }
    // A check can take its DNS lookup and its request, each up to timeoutMs.
    if (deps.remainingTimeMs() < 2 * check.timeoutMs + HANDOVER_MS) return handOver(state, params);

    state.attempt += 1;
    const result = await checkOnce(check, bodyPatterns[state.next], deps);
    if (result.ok) {
      state.slowestMs = Math.max(state.slowestMs, result.latencyMs);
      state.next += 1;
      state.attempt = 0;
      delete state.lastProblem;
      continue;
    }
    state.lastProblem = result.problem.slice(0, 300);
    if (state.attempt >= params.maxAttempts) {
      throw new ActionFailure(
        `Smoke test failed: ${check.method} ${check.url}: ${result.problem} (after ${state.attempt} attempts).`,
      );
    }
    const backoff = Math.min(params.maxBackoffMs, params.initialBackoffMs * 2 ** (state.attempt - 1));
    if (deps.remainingTimeMs() < backoff + 2 * check.timeoutMs + HANDOVER_MS) return handOver(state, params);
    await deps.sleep(backoff, deps.signal);
  }

  return {
    summary: `All ${params.checks.length} smoke checks passed; slowest ${state.slowestMs} ms.`,
    outputVariables: { checkedCount: params.checks.length, slowestMs: state.slowestMs },
  };
}

/** Before any request: the secret's headers go only where its owner said they may. */
function refuseUnlistedOrigins(checks: readonly SmokeCheck[], secret: HeaderSecret): void {
  for (const check of checks) {
    const origin = new URL(check.url).origin;
    if (!secret.allowedOrigins.includes(origin)) {
      throw new ActionFailure(
        `Smoke test refused: ${origin} is not in the allowedOrigins of the headers secret, so its headers ` +
          `may not be sent there (${check.method} ${check.url}). No request was sent.`,
        'ConfigurationError',
      );
    }
  }
}

function handOver(state: SmokeTestState, params: SmokeTestParams): ActionResult<SmokeTestState> {
  return {
    continueWith: state,
    summary: `${state.next} of ${params.checks.length} smoke checks passed; continuing.`,
    percentComplete: (state.next / params.checks.length) * 100,
  };
}

/** How much of a body `bodyPattern` is matched against: a huge response must not exhaust the function's memory. */
export const BODY_MATCH_MAX_BYTES = 1_048_576;

/** The body's first `maxBytes` as text; the rest is not downloaded. */
async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel();
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

type CheckResult = { ok: true; latencyMs: number } | { ok: false; problem: string };

async function checkOnce(
  check: SmokeCheck,
  bodyPattern: BodyPattern | undefined,
  deps: SmokeDependencies,
): Promise<CheckResult> {
  const target = await checkTarget(new URL(check.url), deps.resolveHost, deps.addressPolicy, check.timeoutMs);
  if (!target.ok && 'refused' in target) {
    throw new ActionFailure(
      `Smoke test refused: ${check.method} ${check.url}: ${target.refused}; checks may not target ` +
        `${REFUSED_RANGES_TEXT}.`,
      'ConfigurationError',
    );
  }
  if (!target.ok) return { ok: false, problem: `request failed: DNS lookup failed (${target.lookupFailed})` };
  const started = deps.now();
  try {
    const response = await deps.fetch(check.url, {
      method: check.method,
      headers: deps.secret?.headers ?? {},
      ...(check.body !== undefined && { body: check.body }),
      redirect: 'manual',
      signal: AbortSignal.any([deps.signal, AbortSignal.timeout(check.timeoutMs)]),
    });
    // Read the body only to match it; otherwise release the connection without downloading it.
    let body = '';
    if (bodyPattern) body = await readAtMost(response, BODY_MATCH_MAX_BYTES);
    else await response.body?.cancel();
    const latencyMs = deps.now() - started;
    if (response.status !== check.expectedStatus) {
      return { ok: false, problem: `status ${response.status}, expected ${check.expectedStatus}` };
    }
    if (bodyPattern && !bodyPattern.test(body)) {
      return { ok: false, problem: `body does not match /${bodyPattern.source}/` };
    }
    return { ok: true, latencyMs };
  } catch (error) {
    return { ok: false, problem: `request failed: ${describeRequestError(error, check.timeoutMs)}` };
  }
}

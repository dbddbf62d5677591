import { RE2JS } from 're2js';

/**
 * `bodyPattern` runs on RE2 (re2js, a pure-JavaScript port), whose matching time is linear in the body
 * whatever the pattern. JavaScript's backtracking engine takes exponential time on patterns like `^(a+)+$`
 * against 36 "a"s and a "!" (hours: each "a" doubles it): it blocks the event loop, so the runtime's timer
 * cannot fire, Lambda times out and the job is never reported.
 */
export interface BodyPattern {
  /** The pattern as the pipeline wrote it, for messages. */
  readonly source: string;
  /** Whether the pattern occurs anywhere in the body. */
  test(body: string): boolean;
}

export type CompiledBodyPattern =
  | { readonly ok: true; readonly pattern: BodyPattern }
  | { readonly ok: false; readonly problem: string };

/**
 * JavaScript syntax is translated (named groups, escaped slashes); what RE2 cannot run in linear time,
 * backreferences and lookaround, is refused here with RE2's reason rather than failing at each check.
 */
export function compileBodyPattern(source: string): CompiledBodyPattern {
  try {
    const regex = RE2JS.compile(RE2JS.translateRegExp(source));
    return { ok: true, pattern: { source, test: (body) => regex.test(body) } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problem: `expected a regular expression RE2 can run (no backreferences, lookahead or lookbehind): ${reason}`,
    };
  }
}

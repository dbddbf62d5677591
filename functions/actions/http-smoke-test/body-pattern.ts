import { ActionFailure } from '@pipeline-control-plane/action-runtime';

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
 * re2js is most of the function's code, so it is imported here, on the first pattern: the bundle carries it
 * in a chunk of its own that a job without a body pattern never loads.
 */
export async function compileBodyPattern(source: string): Promise<CompiledBodyPattern> {
  const { RE2JS } = await import('re2js');
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

/**
 * Every check's pattern, compiled before any request, in check order (undefined: the check has none). A
 * pattern RE2 cannot run fails the job as a configuration error, worded as the parameters' other errors are.
 */
export async function compileBodyPatterns(
  actionName: string,
  checks: readonly { readonly bodyPattern?: string | undefined }[],
): Promise<(BodyPattern | undefined)[]> {
  const problems: string[] = [];
  const patterns = await Promise.all(
    checks.map(async ({ bodyPattern }, index) => {
      if (bodyPattern === undefined) return undefined;
      const compiled = await compileBodyPattern(bodyPattern);
      if (compiled.ok) return compiled.pattern;
      problems.push(`checks.${index}.bodyPattern: ${compiled.problem}`);
      return undefined;
    }),
  );
  if (problems.length > 0)
    throw new ActionFailure(
      `${actionName}: invalid UserParameters: ${problems.join('; ')}`,
      'ConfigurationError',
    );
  return patterns;
}

import * as z from 'zod/mini';

/**
 * An environment variable holding JSON (empty: `{}`), parsed before its own schema checks it, so a typo is
 * reported as "expected JSON like <example>" with the variable's name instead of a JSON.parse stack.
 */
export function jsonText(example: string) {
  return z.pipe(
    z.string(),
    z.transform((text, context) => {
      try {
        return JSON.parse(text || '{}') as unknown;
      } catch {
        context.issues.push({ code: 'custom', input: text, message: `expected JSON like ${example}` });
        return z.NEVER;
      }
    }),
  );
}

import type * as z from 'zod/mini';
import { describeIssues } from '#platform/errors';

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * Validates a function's environment once, at cold start. A missing or malformed variable stops the function
 * with the variable's name, instead of failing later inside an AWS call.
 */
export function readEnv<S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(`Invalid function configuration: ${describeIssues(parsed.error.issues)}`);
}

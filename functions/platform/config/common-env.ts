import * as z from 'zod/mini';

/** A positive whole number from an environment string, with a default. */
export function positiveIntegerEnv(defaultValue: number) {
  return z._default(
    z.pipe(
      z.string().check(z.regex(/^[1-9]\d*$/, { message: 'expected a positive whole number' })),
      z.transform(Number),
    ),
    defaultValue,
  );
}

export const tableNameEnv = z.string().check(z.minLength(1, { message: 'expected the DynamoDB table name' }));

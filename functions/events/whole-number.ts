import * as z from 'zod/mini';

/**
 * A whole number within [min, max]. CodePipeline sends `version` and `pipeline-execution-attempt` as numbers
 * (`1.0`) or strings (`"1"`); 1.5, -5, 1e300 or "NaN" are no attempt, and would break ordering and DynamoDB's
 * number type further in.
 */
export function wholeNumber(min: number, max: number) {
  return z
    .pipe(
      z.union([z.number(), z.string().check(z.regex(/^\d{1,15}(\.0+)?$/, 'expected a whole number'))]),
      z.transform((value: number | string) => Number(value)),
    )
    .check(
      z.refine((value: number) => Number.isInteger(value) && value >= min && value <= max, {
        error: `expected a whole number from ${min} to ${max}`,
      }),
    );
}

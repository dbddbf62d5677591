import * as z from 'zod/mini';

// Names that every JavaScript object already has (`__proto__`, `constructor`, `toString`…). AWS allows them as
// pipeline, stage or action names, but records key stages and actions by name and readers look them up by name,
// where such a name would find the prototype's member instead of a stage. No real pipeline uses one.
const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Refuses a name every JavaScript object inherits, so it can never be mistaken for a lookup result. */
export const notInherited = z.refine(
  (value: unknown) => typeof value !== 'string' || !INHERITED_NAMES.has(value),
  {
    error: 'a name every JavaScript object inherits (__proto__, constructor, toString…) is not accepted',
  },
);

/** A string of 1 to `max` characters (AWS's documented length limit for that field). */
export function boundedString(max: number, min = 1) {
  return z
    .string()
    .check(
      z.minLength(min, `expected at least ${min} character${min === 1 ? '' : 's'}`),
      z.maxLength(max, `expected at most ${max} characters`),
    );
}

/** Pipeline, stage and action names: CodePipeline's `[A-Za-z0-9.@\-_]+`, 1 to 100 characters. */
export const codePipelineName = boundedString(100).check(
  z.regex(/^[A-Za-z0-9.@_-]+$/, 'expected letters, digits and . @ - _ only'),
  notInherited,
);

/** An action type's provider (`CodeDeploy`, a custom provider): `[0-9A-Za-z_-]+`, 1 to 35 characters. */
export const actionProvider = boundedString(35).check(
  z.regex(/^[0-9A-Za-z_-]+$/, 'expected letters, digits, - and _ only'),
  notInherited,
);

/**
 * An execution id. CodePipeline's are UUIDs; the bound keeps ids of other origins (the reconciler's reads, the
 * demo) safe to put in a DynamoDB key, whose sort key may not exceed 1 KB.
 */
export const executionId = boundedString(64).check(
  z.regex(/^[A-Za-z0-9-]+$/, 'expected letters, digits and - only (a UUID)'),
);

/** A 12-digit AWS account id. */
export const awsAccount = z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit AWS account id'));

/** An AWS Region code such as `us-east-1` or `us-gov-west-1`. */
export const awsRegion = z
  .string()
  .check(
    z.maxLength(30, 'expected an AWS Region code'),
    z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'expected an AWS Region code such as us-east-1'),
  );

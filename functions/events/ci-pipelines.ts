import * as z from 'zod/mini';
import { codePipelineName } from './aws-names';

/**
 * Pipelines run by other CI systems are recorded beside CodePipeline's under names that say where they come
 * from: `github:<owner>/<repo>:<workflow>` and `ci:<system>/<pipeline>` (docs/other-ci.md). The prefix and its
 * `:` cannot occur in a CodePipeline name, so the two never collide.
 */
export const CI_PIPELINE_PREFIXES = ['github:', 'ci:'] as const;

/** Longest name recorded: keys that hold it (with account, region and an execution id) stay far below 1 KB. */
export const MAX_CI_PIPELINE_NAME_LENGTH = 256;

/**
 * The stage whose success is a production deployment of a CI pipeline: its recorder writes it only for what
 * the deployment policy calls production, so the delivery metrics need no per-pipeline configuration.
 */
export const CI_PRODUCTION_STAGE = 'production deployment';

export function isCiPipeline(pipeline: string): boolean {
  return CI_PIPELINE_PREFIXES.some((prefix) => pipeline.startsWith(prefix));
}

/** Refuses control characters (newlines, escapes): names and labels end up in logs, keys and the console. */
export const withoutControlCharacters = z.refine(
  (value: unknown) => typeof value !== 'string' || !/\p{Cc}/u.test(value),
  {
    error: 'expected no control characters',
  },
);

/** A CI pipeline's name as recorded: a known prefix, printable characters, bounded. */
export const ciPipelineName = z
  .string()
  .check(
    z.maxLength(MAX_CI_PIPELINE_NAME_LENGTH, `expected at most ${MAX_CI_PIPELINE_NAME_LENGTH} characters`),
    z.refine(isCiPipeline, { error: `expected a name starting with ${CI_PIPELINE_PREFIXES.join(' or ')}` }),
    withoutControlCharacters,
  );

/**
 * Any pipeline the history records: a CodePipeline name or a CI pipeline's. The prefix decides which rules
 * apply, so a refusal names the rule the value broke (a union would only say that it matched neither).
 */
export const recordedPipelineName = z.string().check(
  z.superRefine((value, context) => {
    const result = (isCiPipeline(value) ? ciPipelineName : codePipelineName).safeParse(value);
    for (const issue of result.error?.issues ?? []) {
      context.issues.push({ ...issue, input: value } as (typeof context.issues)[number]);
    }
  }),
);

/**
 * The account a recorded pipeline names: an AWS account, or `github` / `ci` for another CI system's pipelines
 * (they name the system where an AWS pipeline names its account).
 */
export const recordedAccount = z
  .string()
  .check(
    z.regex(
      /^(\d{12}|github|ci)$/,
      'expected a 12-digit AWS account id, or github or ci for another CI system',
    ),
  );

/** The region a recorded pipeline names: an AWS Region code, or a CI system's host or name (github.com, jenkins). */
export const recordedRegion = z
  .string()
  .check(
    z.regex(
      /^[a-z0-9][a-z0-9.:-]{0,253}$/,
      'expected an AWS Region code such as us-east-1, or a CI host or system name',
    ),
  );

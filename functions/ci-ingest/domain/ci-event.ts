import * as z from 'zod/mini';
import { boundedString } from '#events/aws-names';
import { awsTimestamp } from '#events/aws-timestamp';
import { withoutControlCharacters } from '#events/ci-pipelines';
import { wholeNumber } from '#events/whole-number';

/**
 * The one JSON shape any CI system (Jenkins, GitLab, a script) posts to POST /ci/events, documented in
 * docs/other-ci.md. Strict objects: a misspelt field is refused with its name instead of silently dropped.
 */

/** Text a CI system names things with: bounded, and without control characters. */
const printable = (max: number) => boundedString(max).check(withoutControlCharacters);

const commit = z.strictObject({
  id: boundedString(64).check(z.regex(/^[A-Za-z0-9._-]+$/, 'expected a commit id (letters, digits, . _ -)')),
  /** When the commit was made: lead time for changes starts here. */
  timestamp: z.optional(awsTimestamp),
  message: z.optional(z.string()),
  author: z.optional(printable(256)),
  branch: z.optional(printable(256)),
  repository: z.optional(printable(256)),
  url: z.optional(z.url({ protocol: /^https?$/ })),
});

const common = {
  /** Unique per event, echoed in the answer and the log; a resend changes nothing because the history's merge ignores repeats. */
  id: printable(128),
  time: awsTimestamp,
  /** The CI system, lower case: `jenkins`, `gitlab`, `buildkite`… (the pipeline's scope). */
  system: z
    .string()
    .check(z.regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'expected lower-case letters, digits, . and - (1 to 63)')),
  pipeline: printable(128),
  /** The run (build number, pipeline id): one execution. */
  runId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'expected 1 to 64 letters, digits and -')),
  /** A re-run of the same run id counts up; its result replaces the earlier attempt's. */
  attempt: z._default(wholeNumber(1, 999_999), 1),
  commit: z.optional(commit),
  url: z.optional(z.url({ protocol: /^https?$/ })),
};

const result = z.enum(['succeeded', 'failed', 'canceled']);

export const ciEvent = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('run.started') }),
  z.strictObject({ ...common, type: z.literal('stage.finished'), stage: printable(100), result }),
  z.strictObject({ ...common, type: z.literal('deployed'), environment: printable(255) }),
  z.strictObject({
    ...common,
    type: z.literal('failed'),
    /** Where it failed, if anywhere in particular: a stage, or a deployment to an environment. */
    stage: z.optional(printable(100)),
    environment: z.optional(printable(255)),
  }),
  z.strictObject({ ...common, type: z.literal('run.finished'), result }),
]);

export type CiEvent = z.infer<typeof ciEvent>;
export type CiEventType = CiEvent['type'];

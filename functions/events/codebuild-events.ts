import * as z from 'zod/mini';
import { boundedString } from './aws-names';
import { envelope } from './eventbridge-envelope';

// CodeBuild "Build State Change" statuses (CodeBuild user guide, sample-build-notifications).
export const BUILD_STATES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'STOPPED', 'FAULT', 'TIMED_OUT'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

export const buildEvent = envelope(
  'CodeBuild Build State Change',
  'aws.codebuild',
  z.object({
    'build-status': z.enum(BUILD_STATES),
    // CodeBuild project names: a letter or digit, then letters, digits, - and _; 2 to 255 characters.
    'project-name': z
      .string()
      .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/, 'expected a CodeBuild project name')),
    // arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>
    'build-id': boundedString(1024).check(
      z.regex(/^arn:aws[a-z-]*:codebuild:[^:]*:\d*:build\/[^:]+:[^:]+$/, 'expected a CodeBuild build ARN'),
    ),
    'current-phase': z.optional(boundedString(100)),
    'additional-information': z.optional(
      z.looseObject({
        initiator: z.optional(boundedString(1024, 0)),
        'build-start-time': z.optional(boundedString(64)),
      }),
    ),
  }),
);

export type BuildEvent = z.infer<typeof buildEvent>;

/** The CodeBuild action's `external-execution-id` is `<project>:<uuid>`, the tail of the build ARN. */
export function buildIdFromArn(arn: string): string {
  return arn.slice(arn.indexOf(':build/') + ':build/'.length);
}

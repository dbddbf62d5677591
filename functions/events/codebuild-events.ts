import * as z from 'zod/mini';
import { envelope } from './eventbridge-envelope';

// CodeBuild "Build State Change" statuses (CodeBuild user guide, sample-build-notifications).
export const BUILD_STATES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'STOPPED', 'FAULT', 'TIMED_OUT'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

export const buildEvent = envelope(
  'CodeBuild Build State Change',
  'aws.codebuild',
  z.object({
    'build-status': z.enum(BUILD_STATES),
    'project-name': z.string().check(z.minLength(1)),
    // arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>
    'build-id': z.string().check(z.regex(/^arn:aws[a-z-]*:codebuild:[^:]*:\d*:build\/.+:.+$/)),
    'current-phase': z.optional(z.string()),
    'additional-information': z.optional(
      z.looseObject({
        initiator: z.optional(z.string()),
        'build-start-time': z.optional(z.string()),
      }),
    ),
  }),
);

export type BuildEvent = z.infer<typeof buildEvent>;

/** The CodeBuild action's `external-execution-id` is `<project>:<uuid>`, the tail of the build ARN. */
export function buildIdFromArn(arn: string): string {
  return arn.slice(arn.indexOf(':build/') + ':build/'.length);
}

import * as z from 'zod/mini';
import { awsTimestamp, envelope, numberLike } from './eventbridge-envelope';

// State lists: CodePipeline user guide, "Monitoring CodePipeline events" state tables (see
// ../shared/reference/events-rollback-invoke.md A.7). @types/aws-lambda lacks STOPPED/STOPPING/ABANDONED.
export const PIPELINE_STATES = [
  'STARTED',
  'RESUMED',
  'STOPPING',
  'SUCCEEDED',
  'FAILED',
  'STOPPED',
  'CANCELED',
  'SUPERSEDED',
] as const;
// SKIPPED is a stage status in the API (beforeEntry SKIP); accepted in case events carry it.
export const STAGE_STATES = [
  'STARTED',
  'RESUMED',
  'STOPPING',
  'SUCCEEDED',
  'FAILED',
  'STOPPED',
  'CANCELED',
  'SKIPPED',
] as const;
export const ACTION_STATES = ['STARTED', 'SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED'] as const;

export type PipelineState = (typeof PIPELINE_STATES)[number];
export type StageState = (typeof STAGE_STATES)[number];
export type ActionState = (typeof ACTION_STATES)[number];

/** Webhook/connection triggers carry the commit; other triggers carry `trigger-type` and `trigger-detail`. */
const executionTrigger = z.looseObject({
  'trigger-type': z.optional(z.string()),
  'trigger-detail': z.optional(z.string()),
  'commit-id': z.optional(z.string()),
  'commit-message': z.optional(z.string()),
  'author-date': z.optional(z.string()),
  'author-display-name': z.optional(z.string()),
  'full-repository-name': z.optional(z.string()),
  'provider-type': z.optional(z.string()),
  'branch-name': z.optional(z.string()),
  'tag-name': z.optional(z.string()),
});

const executionFields = {
  pipeline: z.string().check(z.minLength(1)),
  'execution-id': z.string().check(z.minLength(1)),
  'start-time': z.optional(awsTimestamp),
  version: z.optional(numberLike),
  'pipeline-execution-attempt': z.optional(numberLike),
};

export const pipelineExecutionEvent = envelope(
  'CodePipeline Pipeline Execution State Change',
  'aws.codepipeline',
  z.object({
    ...executionFields,
    state: z.enum(PIPELINE_STATES),
    'execution-trigger': z.optional(executionTrigger),
    'stop-execution-comments': z.optional(z.string()),
  }),
);

export const stageExecutionEvent = envelope(
  'CodePipeline Stage Execution State Change',
  'aws.codepipeline',
  z.object({
    ...executionFields,
    stage: z.string().check(z.minLength(1)),
    state: z.enum(STAGE_STATES),
    'stage-last-retry-attempt-time': z.optional(awsTimestamp),
  }),
);

export const actionExecutionEvent = envelope(
  'CodePipeline Action Execution State Change',
  'aws.codepipeline',
  z.object({
    ...executionFields,
    stage: z.string().check(z.minLength(1)),
    action: z.string().check(z.minLength(1)),
    state: z.enum(ACTION_STATES),
    'action-execution-id': z.optional(z.string()),
    region: z.optional(z.string()),
    type: z.optional(
      z.object({
        owner: z.optional(z.string()),
        category: z.optional(z.string()),
        provider: z.optional(z.string()),
        version: z.optional(z.union([z.string(), z.number()])),
      }),
    ),
    'execution-result': z.optional(
      z.object({
        'external-execution-id': z.optional(z.string()),
        'external-execution-url': z.optional(z.string()),
        'external-execution-summary': z.optional(z.string()),
        'error-code': z.optional(z.string()),
      }),
    ),
  }),
);

export type PipelineExecutionEvent = z.infer<typeof pipelineExecutionEvent>;
export type StageExecutionEvent = z.infer<typeof stageExecutionEvent>;
export type ActionExecutionEvent = z.infer<typeof actionExecutionEvent>;
export type ExecutionTrigger = z.infer<typeof executionTrigger>;

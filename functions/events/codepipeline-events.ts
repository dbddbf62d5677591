import * as z from 'zod/mini';
import { actionProvider, awsRegion, boundedString, codePipelineName, executionId } from './aws-names';
import { awsTimestamp } from './aws-timestamp';
import { envelope } from './eventbridge-envelope';
import { wholeNumber } from './whole-number';

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

export const ACTION_OWNERS = ['AWS', 'ThirdParty', 'Custom'] as const;
export const ACTION_CATEGORIES = [
  'Source',
  'Build',
  'Deploy',
  'Test',
  'Invoke',
  'Approval',
  'Compute',
] as const;

export type PipelineState = (typeof PIPELINE_STATES)[number];
export type StageState = (typeof STAGE_STATES)[number];
export type ActionState = (typeof ACTION_STATES)[number];

/**
 * Webhook/connection triggers carry the commit; other triggers carry `trigger-type` and `trigger-detail`.
 * Stored fields are bounded so one execution item stays small; the commit message is free text, clipped
 * when observed rather than refused (refusing would lose the execution's status with it).
 */
const executionTrigger = z.looseObject({
  'trigger-type': z.optional(boundedString(100)),
  'trigger-detail': z.optional(boundedString(2048, 0)),
  'commit-id': z.optional(boundedString(200)),
  'commit-message': z.optional(z.string()),
  'author-date': z.optional(boundedString(64)),
  'author-display-name': z.optional(boundedString(1024, 0)),
  'full-repository-name': z.optional(boundedString(1024)),
  'provider-type': z.optional(boundedString(100)),
  // CodeConnections / CodeStar connection ARNs are at most 256 characters; e-mail addresses at most 320.
  'connection-arn': z.optional(boundedString(256)),
  'author-email': z.optional(boundedString(320, 0)),
  'branch-name': z.optional(boundedString(1024)),
  'tag-name': z.optional(boundedString(1024)),
});

// Attempts count retries of one execution; pipeline versions count its updates. Both are small in practice.
export const MAX_EXECUTION_ATTEMPT = 10_000;
export const MAX_PIPELINE_VERSION = 1_000_000;

const executionFields = {
  pipeline: codePipelineName,
  'execution-id': executionId,
  'start-time': z.optional(awsTimestamp),
  version: z.optional(wholeNumber(1, MAX_PIPELINE_VERSION)),
  'pipeline-execution-attempt': z.optional(wholeNumber(1, MAX_EXECUTION_ATTEMPT)),
};

export const pipelineExecutionEvent = envelope(
  'CodePipeline Pipeline Execution State Change',
  'aws.codepipeline',
  z.object({
    ...executionFields,
    state: z.enum(PIPELINE_STATES),
    'execution-trigger': z.optional(executionTrigger),
    'stop-execution-comments': z.optional(boundedString(1024, 0)),
  }),
);

export const stageExecutionEvent = envelope(
  'CodePipeline Stage Execution State Change',
  'aws.codepipeline',
  z.object({
    ...executionFields,
    stage: codePipelineName,
    state: z.enum(STAGE_STATES),
    'stage-last-retry-attempt-time': z.optional(awsTimestamp),
  }),
);

export const actionExecutionEvent = envelope(
  'CodePipeline Action Execution State Change',
  'aws.codepipeline',
  z.object({
    ...executionFields,
    stage: codePipelineName,
    action: codePipelineName,
    state: z.enum(ACTION_STATES),
    'action-execution-id': z.optional(boundedString(200)),
    region: z.optional(awsRegion),
    // Limits from the CodePipeline API reference (ActionTypeId, ExecutionDetails, FailureDetails).
    type: z.optional(
      z.object({
        owner: z.optional(z.enum(ACTION_OWNERS)),
        category: z.optional(z.enum(ACTION_CATEGORIES)),
        provider: z.optional(actionProvider),
        version: z.optional(z.union([boundedString(9), wholeNumber(0, 999_999_999)])),
      }),
    ),
    'execution-result': z.optional(
      z.object({
        'external-execution-id': z.optional(boundedString(1500)),
        'external-execution-url': z.optional(boundedString(2048)),
        'external-execution-summary': z.optional(boundedString(2048, 0)),
        'error-code': z.optional(boundedString(200)),
      }),
    ),
  }),
);

export type PipelineExecutionEvent = z.infer<typeof pipelineExecutionEvent>;
export type StageExecutionEvent = z.infer<typeof stageExecutionEvent>;
export type ActionExecutionEvent = z.infer<typeof actionExecutionEvent>;
export type ExecutionTrigger = z.infer<typeof executionTrigger>;

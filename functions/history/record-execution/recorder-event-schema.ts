import type * as z from 'zod/mini';
import { buildEvent } from '#events/codebuild-events';
import { deploymentEvent } from '#events/codedeploy-events';
import {
  actionExecutionEvent,
  pipelineExecutionEvent,
  stageExecutionEvent,
} from '#events/codepipeline-events';
import { describeIssues, MalformedEventError } from '#platform/errors';

const SCHEMAS = {
  'CodePipeline Pipeline Execution State Change': pipelineExecutionEvent,
  'CodePipeline Stage Execution State Change': stageExecutionEvent,
  'CodePipeline Action Execution State Change': actionExecutionEvent,
  'CodeDeploy Deployment State-change Notification': deploymentEvent,
  'CodeBuild Build State Change': buildEvent,
} as const;

export type RecorderEvent = {
  [K in keyof typeof SCHEMAS]: z.infer<(typeof SCHEMAS)[K]>;
}[keyof typeof SCHEMAS];

/** Validates an EventBridge event this function records, or says precisely why it cannot be recorded. */
export function parseRecorderEvent(raw: unknown): RecorderEvent {
  const envelope = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const eventId = typeof envelope.id === 'string' ? envelope.id.slice(0, 128) : undefined;
  const detailType = envelope['detail-type'];
  // Own keys only: `detailType in SCHEMAS` would accept "toString" and call the prototype's member.
  if (typeof detailType !== 'string' || !Object.hasOwn(SCHEMAS, detailType)) {
    throw new MalformedEventError(
      `unsupported detail-type ${JSON.stringify(typeof detailType === 'string' ? detailType.slice(0, 100) : detailType)}: expected one of ${Object.keys(SCHEMAS).join(', ')}`,
      eventId,
    );
  }
  const parsed = SCHEMAS[detailType as keyof typeof SCHEMAS].safeParse(raw);
  if (!parsed.success) {
    throw new MalformedEventError(`${detailType}: ${describeIssues(parsed.error.issues)}`, eventId);
  }
  return parsed.data as RecorderEvent;
}

// The public entry of @pipeline-control-plane/action-runtime: what the layer exports and actions import.
export { ActionFailure, type FailureType } from './action-failure';
export { actionMiddyOptions } from './action-middy-options';
export {
  type ActionDefinition,
  type ActionInput,
  type ActionLogger,
  type ActionOutcome,
  type ActionResult,
  type ActionRuntimeOptions,
  type ActionSchema,
  createActionHandler,
  type LambdaContextLike,
} from './create-action-handler';
export { describeIssues, type SchemaIssue } from './describe-issues';
export type { InputArtifacts } from './input-artifacts';
export type { CodePipelineJobEvent } from './job-event';
export type { ReportOutcome } from './report-job-result';

export { ActionFailure, type FailureType } from './action-failure';
export {
  type ActionDefinition,
  type ActionInput,
  type ActionOutcome,
  type ActionResult,
  type ActionRuntimeOptions,
  type ActionSchema,
  createActionHandler,
} from './create-action-handler';
export type { InputArtifacts } from './input-artifacts';
export type { CodePipelineJobEvent } from './job-event';

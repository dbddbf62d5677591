export { ActionFailure, type FailureType } from './action-failure';
export {
  type ActionDefinition,
  type ActionInput,
  type ActionOutcome,
  type ActionResult,
  type ActionRuntimeOptions,
  createActionHandler,
} from './create-action-handler';
export type { InputArtifacts } from './input-artifacts';
export type { CodePipelineJobEvent } from './job-event';
// Re-exported so a team's action needs no dependency of its own (even a console-edited index.mjs).
export * as z from 'zod/mini';

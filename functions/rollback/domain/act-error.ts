/**
 * How sure we are that a call that acts did not act, from its error:
 * - `refused`: AWS answered and refused (a 4xx other than throttling): nothing happened, retrying will not help.
 * - `not-applied`: throttled: nothing happened, a later attempt may act.
 * - `unknown`: no answer (timeout, network, 5xx): it may have acted, so the world is read before acting again.
 */
export type ActErrorKind = 'refused' | 'not-applied' | 'unknown';

const THROTTLES = new Set(['ThrottlingException', 'TooManyRequestsException', 'ThrottledException']);

// Refusals the decisions know by name; an SDK error carries `$fault: 'client'` for any other 4xx.
const REFUSALS = new Set([
  'DeploymentAlreadyCompletedException',
  'UnsupportedActionForDeploymentTypeException',
  'UnableToRollbackStageException',
  'PipelineExecutionOutdatedException',
  'ConflictException',
  'DeploymentLimitExceededException',
  'RevisionDoesNotExistException',
  'InvalidRevisionException',
  'DeploymentGroupDoesNotExistException',
  'ApplicationDoesNotExistException',
  'DeploymentDoesNotExistException',
  'DescriptionTooLongException',
  'AccessDeniedException',
]);

// The Slack client's error codes (the ones @slack/web-api defined, kept by our thin client): Slack answered `ok: false` (not_in_channel…), or asked us to slow down.
const SLACK_REFUSED = 'slack_webapi_platform_error';
const SLACK_RATE_LIMITED = 'slack_webapi_rate_limited_error';

export function classifyActError(error: unknown): ActErrorKind {
  const { name, $fault, code } = (error ?? {}) as { name?: string; $fault?: string; code?: string };
  if ((name && THROTTLES.has(name)) || code === SLACK_RATE_LIMITED) return 'not-applied';
  if (code === SLACK_REFUSED) return 'refused';
  if ((name && REFUSALS.has(name)) || $fault === 'client') return 'refused';
  return 'unknown';
}

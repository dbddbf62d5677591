import { readEvent } from '../../support/events';

/** The EventBridge- or SNS-triggered function a malformed event is sent to. */
export type TargetFunction =
  | 'record-execution'
  | 'rollback-on-alarm'
  | 'approval-completed'
  | 'request-approval';

export interface MalformedEvent {
  name: string;
  target: TargetFunction;
  event: unknown;
  /** The field the rejection's reason must name. */
  field: string;
}

const REMOVE = Symbol('remove');
type Json = Record<string, unknown>;

/** A copy of `sample` with the value at `path` (dot-separated) replaced, or removed with REMOVE. */
function mutate(sample: Json, path: string, value: unknown): Json {
  const copy = structuredClone(sample);
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = copy;
  for (const key of keys) node = node[key] as Json;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

/** An object whose own `__proto__` key carries `fields` (what JSON.parse makes of such a body). */
const ownProtoKey = (fields: Json): Json =>
  JSON.parse(JSON.stringify({ x: fields }).replace('"x"', '"__proto__"'));

const pipelineStarted = readEvent('record-execution/pipeline-started.json');
const stageResumed = readEvent('record-execution/stage-resumed.json');
const actionFailed = readEvent('record-execution/action-codedeploy-failed.json');
const deployment = readEvent('record-execution/codedeploy-deployment-success.json');
const build = readEvent('record-execution/codebuild-pipeline-build-succeeded.json');
const alarm = readEvent('rollback-on-alarm/alarm.json');
const approvalEnded = readEvent('approval-completed/approved-in-console.json');
const approvalSns = readEvent('request-approval/approval-needed.json');

const kilobytes = (count: number) => 'x'.repeat(count * 1024);

const recorder = (
  name: string,
  sample: Json,
  path: string,
  value: unknown,
  field = path,
): MalformedEvent => ({
  name,
  target: 'record-execution',
  event: mutate(sample, path, value),
  field,
});

const recorderCases: MalformedEvent[] = [
  recorder('provider __proto__', actionFailed, 'detail.type.provider', '__proto__'),
  recorder('provider constructor', actionFailed, 'detail.type.provider', 'constructor'),
  recorder('provider toString', actionFailed, 'detail.type.provider', 'toString'),
  recorder('category __proto__', actionFailed, 'detail.type.category', '__proto__'),
  recorder('stage __proto__', actionFailed, 'detail.stage', '__proto__'),
  recorder('stage constructor', stageResumed, 'detail.stage', 'constructor'),
  recorder('action toString', actionFailed, 'detail.action', 'toString'),
  recorder('action hasOwnProperty', actionFailed, 'detail.action', 'hasOwnProperty'),
  recorder('pipeline constructor', pipelineStarted, 'detail.pipeline', 'constructor'),
  recorder('pipeline name with a #', pipelineStarted, 'detail.pipeline', 'orders#EXEC'),
  recorder(
    'detail fields hidden under an own __proto__ key',
    pipelineStarted,
    'detail',
    ownProtoKey(pipelineStarted.detail as Json),
    'detail.pipeline',
  ),
  recorder('execution id of 3,000 characters', pipelineStarted, 'detail.execution-id', 'e'.repeat(3000)),
  recorder('pipeline name of 101 characters', pipelineStarted, 'detail.pipeline', 'p'.repeat(101)),
  recorder(
    'external execution id over 1 KB',
    actionFailed,
    'detail.execution-result.external-execution-id',
    kilobytes(2),
  ),
  recorder(
    'execution summary over 100 KB',
    actionFailed,
    'detail.execution-result.external-execution-summary',
    kilobytes(101),
  ),
  recorder('event id over 1 KB', pipelineStarted, 'id', kilobytes(3)),
  recorder('attempt 1e300', actionFailed, 'detail.pipeline-execution-attempt', 1e300),
  recorder('attempt -5', actionFailed, 'detail.pipeline-execution-attempt', -5),
  recorder('attempt 1.5', actionFailed, 'detail.pipeline-execution-attempt', 1.5),
  recorder('attempt "NaN"', actionFailed, 'detail.pipeline-execution-attempt', 'NaN'),
  recorder('attempt "1e3"', stageResumed, 'detail.pipeline-execution-attempt', '1e3'),
  recorder('pipeline version 0', pipelineStarted, 'detail.version', 0),
  recorder('time "12"', pipelineStarted, 'time', '12'),
  recorder('time "March 7"', pipelineStarted, 'time', 'March 7'),
  recorder('time in year 9999', pipelineStarted, 'time', '9999-01-01T00:00:00Z'),
  recorder('time in 1970', pipelineStarted, 'time', '1970-01-01T00:00:00Z'),
  recorder('time with a space, not ISO', pipelineStarted, 'time', '2026-11-20 10:00:00'),
  recorder('time on February 30', pipelineStarted, 'time', '2026-02-30T10:00:00Z'),
  recorder('start time in 2100', pipelineStarted, 'detail.start-time', '2100-01-01T00:00:00Z'),
  recorder('retry time "yesterday"', stageResumed, 'detail.stage-last-retry-attempt-time', 'yesterday'),
  recorder('missing pipeline', pipelineStarted, 'detail.pipeline', REMOVE),
  recorder('missing time', pipelineStarted, 'time', REMOVE),
  recorder('detail is an array', pipelineStarted, 'detail', []),
  recorder('pipeline is a number', pipelineStarted, 'detail.pipeline', 42),
  recorder('action type is an array', actionFailed, 'detail.type', ['CodeDeploy']),
  recorder('resources is a string', pipelineStarted, 'resources', 'arn:aws:codepipeline'),
  recorder('account is not 12 digits', pipelineStarted, 'account', 'abc'),
  recorder('region is not a Region', pipelineStarted, 'region', 'mars'),
  recorder('unknown action state', actionFailed, 'detail.state', 'EXPLODED'),
  recorder('deployment id over 1 KB', deployment, 'detail.deploymentId', `d-${'A'.repeat(3000)}`),
  recorder('application of 200 characters', deployment, 'detail.application', 'a'.repeat(200)),
  recorder('deployment group constructor', deployment, 'detail.deploymentGroup', 'constructor'),
  recorder('project __proto__', build, 'detail.project-name', '__proto__'),
  recorder('build id not an ARN', build, 'detail.build-id', 'not-an-arn'),
  { name: 'an alarm event', target: 'record-execution', event: alarm, field: 'detail-type' },
  recorder('detail-type toString', pipelineStarted, 'detail-type', 'toString'),
  { name: 'null', target: 'record-execution', event: null, field: 'detail-type' },
  { name: 'the number 42', target: 'record-execution', event: 42, field: 'detail-type' },
  { name: 'an array', target: 'record-execution', event: [pipelineStarted], field: 'detail-type' },
];

/** Cases for `target`, each `sample` with one field changed. */
const mutationsOf =
  (target: TargetFunction, sample: Json) =>
  (name: string, path: string, value: unknown, field = path): MalformedEvent => ({
    name,
    target,
    event: mutate(sample, path, value),
    field,
  });

const rollback = mutationsOf('rollback-on-alarm', alarm);

const rollbackCases: MalformedEvent[] = [
  rollback('alarm name of 300 characters', 'detail.alarmName', 'a'.repeat(300)),
  rollback('missing alarm name', 'detail.alarmName', REMOVE),
  rollback('state time "12"', 'detail.state.timestamp', '12'),
  rollback('state time in year 9999', 'detail.state.timestamp', '9999-01-01T00:00:00.000+0000'),
  rollback('unknown state', 'detail.state.value', 'PANIC'),
  rollback('state reason over 100 KB', 'detail.state.reason', kilobytes(101)),
  rollback('state is an array', 'detail.state', []),
  rollback('time "March 7"', 'time', 'March 7'),
  rollback('configuration is a string', 'detail.configuration', 'x'),
  rollback('account of 3,000 characters', 'account', '1'.repeat(3000)),
  { name: 'a pipeline event', target: 'rollback-on-alarm', event: pipelineStarted, field: 'detail-type' },
  { name: 'null', target: 'rollback-on-alarm', event: null, field: '(root)' },
];

const completed = mutationsOf('approval-completed', approvalEnded);

const approvalCompletedCases: MalformedEvent[] = [
  completed('stage __proto__', 'detail.stage', '__proto__'),
  completed('action constructor', 'detail.action', 'constructor'),
  completed('pipeline of 3,000 characters', 'detail.pipeline', 'p'.repeat(3000)),
  completed('time "12"', 'time', '12'),
  completed('attempt 1.5', 'detail.pipeline-execution-attempt', 1.5),
  completed('provider toString', 'detail.type.provider', 'toString'),
  { name: 'an alarm event', target: 'approval-completed', event: alarm, field: 'detail-type' },
  { name: 'the number 42', target: 'approval-completed', event: 42, field: '(root)' },
];

const snsMessage = (approvalSns.Records as { Sns: { Message: string } }[])[0]?.Sns.Message ?? '';
const message = JSON.parse(snsMessage) as Json;
const withMessage = (body: unknown): Json =>
  mutate(approvalSns, 'Records.0.Sns.Message', typeof body === 'string' ? body : JSON.stringify(body));
const notification = (name: string, path: string, value: unknown, field = path): MalformedEvent => ({
  name,
  target: 'request-approval',
  event: withMessage(mutate(message, path, value)),
  field,
});

const requestApprovalCases: MalformedEvent[] = [
  { name: 'message not JSON', target: 'request-approval', event: withMessage('hello'), field: 'not JSON' },
  { name: 'message "null"', target: 'request-approval', event: withMessage('null'), field: '(root)' },
  notification('stage __proto__', 'approval.stageName', '__proto__'),
  notification('action constructor', 'approval.actionName', 'constructor'),
  notification('expires "12"', 'approval.expires', '12'),
  notification('expires in year 9999', 'approval.expires', '9999-01-01T00:00Z'),
  notification('token of 3,000 characters', 'approval.token', 't'.repeat(3000)),
  notification('pipeline name of 101 characters', 'approval.pipelineName', 'p'.repeat(101)),
  notification('approval is an array', 'approval', []),
  notification('custom data over 100 KB', 'approval.customData', kilobytes(101)),
  {
    name: 'Records is an object',
    target: 'request-approval',
    event: { Records: {} },
    field: 'Records',
  },
  { name: 'the number 42', target: 'request-approval', event: 42, field: 'not an SNS event' },
];

/** Malformed events derived from the real samples in events/, by function. */
export const MALFORMED_EVENTS: readonly MalformedEvent[] = [
  ...recorderCases,
  ...rollbackCases,
  ...approvalCompletedCases,
  ...requestApprovalCases,
];

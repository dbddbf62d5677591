import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { expect, inject, it } from 'vitest';
import { createHistoryStore, type HistoryStore } from '../../../functions/history/adapters/history-store';
import { mergeExecution } from '../../../functions/history/domain/merge-execution';
import { createRollbackStore, rollbackKeys } from '../../../functions/rollback/adapters/rollback-store';
import { parseRollbackConfig } from '../../../functions/rollback/domain/rollback-config';
import {
  type RollbackDependencies,
  rollbackOnAlarm,
} from '../../../functions/rollback/rollback-on-alarm/rollback-on-alarm';
import { createHistoryTable } from '../../../local/dynamo-engine';
import { alarmEvent } from '../../support/rollback';
import {
  FAULTS,
  type Fault,
  FaultSchedule,
  fakeChannel,
  fakeDeploymentGateway,
  fakePipelineGateway,
  faultyDocumentClient,
  faultySlackChannel,
  type World,
} from './fault-world';

/** One act under test: its target, the history and AWS state that make the decision take it, and its count. */
export interface ActScenario {
  name: string;
  target: (run: number) => Record<string, unknown>;
  seed: (history: HistoryStore, world: World, run: number) => Promise<void>;
  applied: (world: World) => number;
}

const ALARM_AT = '2026-11-24T11:50:00.000Z';
const START = '2026-11-24T12:00:00.000Z';
/** Lambda retries an asynchronous invocation twice, a minute or more apart; past the step lease of 60 s. */
const LAMBDA_ATTEMPTS = 3;
const RETRY_DELAY_MS = 61_000;
/** EventBridge delivers at least once: the same event may come again, each time with Lambda's attempts. */
const DELIVERIES = 3;

const deployment = (history: HistoryStore, run: number, id: string, state: string, at: string) =>
  history.recordRun({
    kind: 'deployment',
    runId: id,
    at,
    status: { status: state, statusAt: at, attempt: 1 },
    attributes: { application: `app-${run}`, deploymentGroup: 'prod', region: 'us-east-1' },
  });

const stageSuccess = async (history: HistoryStore, run: number, id: string, start: string, end: string) => {
  for (const [state, at] of [
    ['STARTED', start],
    ['SUCCEEDED', end],
  ] as const) {
    await history.mergeExecution(`pay-${run}`, id, (current) =>
      mergeExecution(current, {
        kind: 'stage',
        pipeline: `pay-${run}`,
        executionId: id,
        stage: 'Prod',
        at,
        startTime: start,
        status: { status: state, statusAt: at, attempt: 1 },
      }),
    );
  }
};

const codeDeployTarget = (run: number) => ({
  kind: 'codedeploy',
  application: `app-${run}`,
  deploymentGroup: 'prod',
  alarms: [`alarm-${run}`],
  mode: 'enforce',
});

export const stopScenario: ActScenario = {
  name: 'StopDeployment of the deployment in progress',
  target: codeDeployTarget,
  async seed(history, world, run) {
    await deployment(history, run, `d-BAD-${run}`, 'START', '2026-11-24T11:40:00.000Z');
    world.deployments.set(`d-BAD-${run}`, {
      deploymentId: `d-BAD-${run}`,
      status: 'InProgress',
      creator: 'user',
      applicationName: `app-${run}`,
      deploymentGroupName: 'prod',
    });
  },
  applied: (world) => world.applied.stop.length,
};

export const redeployScenario: ActScenario = {
  name: 'CreateDeployment of the last good revision',
  target: codeDeployTarget,
  async seed(history, world, run) {
    await deployment(history, run, `d-GOOD-${run}`, 'SUCCESS', '2026-11-23T10:00:00.000Z');
    await deployment(history, run, `d-BAD-${run}`, 'START', '2026-11-24T11:30:00.000Z');
    await deployment(history, run, `d-BAD-${run}`, 'SUCCESS', '2026-11-24T11:40:00.000Z');
    const group = { applicationName: `app-${run}`, deploymentGroupName: 'prod', creator: 'user' };
    world.deployments.set(`d-GOOD-${run}`, {
      deploymentId: `d-GOOD-${run}`,
      status: 'Succeeded',
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: 'artifacts', key: 'good.zip', bundleType: 'zip' },
      },
      createTime: '2026-11-23T09:50:00.000Z',
      ...group,
    });
    world.deployments.set(`d-BAD-${run}`, {
      deploymentId: `d-BAD-${run}`,
      status: 'Succeeded',
      createTime: '2026-11-24T11:30:00.000Z',
      completeTime: '2026-11-24T11:40:00.000Z',
      ...group,
    });
  },
  applied: (world) => world.applied.create.length,
};

export const stageRollbackScenario: ActScenario = {
  name: 'RollbackStage to the previous successful execution',
  target: (run) => ({
    kind: 'pipeline',
    pipeline: `pay-${run}`,
    stage: 'Prod',
    alarms: [`alarm-${run}`],
    mode: 'enforce',
  }),
  async seed(history, world, run) {
    await stageSuccess(history, run, 'e-good', '2026-11-23T09:00:00.000Z', '2026-11-23T09:20:00.000Z');
    await stageSuccess(history, run, 'e-bad', '2026-11-24T11:20:00.000Z', '2026-11-24T11:40:00.000Z');
    world.executions.push(
      { pipelineExecutionId: 'e-bad', executionType: 'STANDARD', succeededInStage: true },
      { pipelineExecutionId: 'e-good', executionType: 'STANDARD', succeededInStage: true },
    );
  },
  applied: (world) => world.applied.rollbackStage.length,
};

/** The run's table, made once per file: every run uses its own target, alarm and ids within it. */
let table: Promise<{ endpoint: string; tableName: string }> | undefined;
let runs = 0;

/**
 * Delivers one alarm event as AWS would, under a fault schedule: each delivery gets Lambda's attempts (a thrown
 * error or a crash makes Lambda try again, a minute or more later), until one attempt returns; then once more as an
 * EventBridge duplicate. Answers what the table and the fake AWS hold afterwards.
 */
export async function runIncident(scenario: ActScenario, faults: ReadonlyMap<number, Fault>) {
  table ??= (async () => {
    const endpoint = inject('dynamoEndpoint');
    const tableName = `faults-${crypto.randomUUID()}`;
    await createHistoryTable(endpoint, tableName);
    return { endpoint, tableName };
  })();
  const { endpoint, tableName } = await table;
  const run = runs++;
  const world: World = {
    now: new Date(START),
    deployments: new Map(),
    executions: [],
    applied: { stop: [], create: [], rollbackStage: [] },
    announced: {},
  };
  let schedule: FaultSchedule | undefined;
  const client = faultyDocumentClient(endpoint, () => schedule);
  const history = createHistoryStore({ client, tableName, retentionDays: 400 });
  const rollbacks = createRollbackStore({ client, tableName, retentionDays: 400 });
  await scenario.seed(history, world, run);

  const faulty = new FaultSchedule(faults);
  const deps: RollbackDependencies = {
    config: parseRollbackConfig(JSON.stringify({ targets: [scenario.target(run)] })),
    rollbacks,
    history,
    deployments: fakeDeploymentGateway(world, () => faulty),
    pipelines: fakePipelineGateway(world, () => faulty),
    announcements: [fakeChannel('SNS', world, () => faulty), faultySlackChannel(world, () => faulty)],
    warn: () => {},
    now: () => world.now,
  };
  const event = alarmEvent(`alarm-${run}`, ALARM_AT);
  schedule = faulty;
  let returned = 0;
  for (let delivery = 0; delivery < DELIVERIES && returned < 2; delivery++) {
    for (let attempt = 0; attempt < LAMBDA_ATTEMPTS; attempt++) {
      faulty.dead = false;
      try {
        await rollbackOnAlarm(event, deps);
        returned++;
        break;
      } catch {
        world.now = new Date(world.now.getTime() + RETRY_DELAY_MS);
      }
    }
  }
  schedule = undefined;

  const targetId =
    scenario.target(run).kind === 'pipeline' ? `pipeline:pay-${run}/Prod` : `codedeploy:app-${run}/prod`;
  const incident = await rollbacks.findIncident({
    targetId,
    alarmName: `alarm-${run}`,
    alarmStateTime: ALARM_AT,
  });
  const { Item: cooldown } = await client.send(
    new GetCommand({ TableName: tableName, Key: rollbackKeys.cooldown(targetId), ConsistentRead: true }),
  );
  return { world, incident, cooldown, faulty, returned, owner: `INCIDENT#alarm-${run}#${ALARM_AT}` };
}

/** What must hold after any fault schedule: one act or a failure said out loud, nothing pending, a true cooldown. */
export function expectExactlyOnce(scenario: ActScenario, result: Awaited<ReturnType<typeof runIncident>>) {
  const { world, incident, cooldown, faulty, owner } = result;
  const context = faulty.calls.join('\n');
  expect(result.returned, context).toBeGreaterThan(0);
  expect(incident?.progress, context).toBe('done');
  const applied = scenario.applied(world);
  if (incident?.outcome === 'succeeded') expect(applied, context).toBe(1);
  else {
    expect(incident?.outcome, context).toBe('failed');
    expect(applied, context).toBe(0);
  }
  // Announced at least once, saying the recorded outcome; again only when a post's answer (or the record of it)
  // was lost: SNS and Slack take no idempotency key.
  const announced = world.announced.SNS ?? [];
  expect(announced.length, context).toBeGreaterThanOrEqual(1);
  expect(announced.length, context).toBeLessThanOrEqual(1 + faulty.unanswered);
  expect(announced.at(-1), context).toContain(`Rollback ${incident?.outcome}`);
  // Slack is looked up before posting again: one message, or none when every attempt failed and that is recorded.
  const slack = world.announced.Slack ?? [];
  if (incident?.announced.Slack === 'sent') {
    expect(slack, context).toHaveLength(1);
    expect(slack[0], context).toContain(`Rollback ${incident?.outcome}`);
  } else {
    expect(incident?.announced.Slack, context).toMatch(/^failed: /);
    expect(slack.length, context).toBeLessThanOrEqual(1);
  }
  // The cooldown is held by the incident that acted, and by nothing that did not act.
  if (incident?.outcome === 'succeeded') {
    expect(cooldown?.incident, context).toBe(owner);
    expect(cooldown?.until > world.now.toISOString(), context).toBe(true);
  } else {
    expect(!cooldown || cooldown.until <= world.now.toISOString(), context).toBe(true);
  }
}

/** Every single fault at every call of a fault-free run, then random schedules of two or three faults. */
export function exactlyOnceProperties(scenario: ActScenario, multiFaultRuns: number) {
  it(`${scenario.name}: acts exactly once with a fault of each kind at any single call`, async () => {
    const clean = await runIncident(scenario, new Map());
    expectExactlyOnce(scenario, clean);
    const calls = clean.faulty.calls.length;
    expect(calls).toBeGreaterThan(5);
    for (let index = 0; index < calls; index++) {
      for (const fault of FAULTS) {
        expectExactlyOnce(scenario, await runIncident(scenario, new Map([[index, fault]])));
      }
    }
  }, 240_000);

  it(`${scenario.name}: acts exactly once, or fails out loud, under random multi-fault schedules`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(30), fc.constantFrom(...FAULTS)), { minLength: 2, maxLength: 3 }),
        async (faults) => expectExactlyOnce(scenario, await runIncident(scenario, new Map(faults))),
      ),
      { numRuns: multiFaultRuns },
    );
  }, 240_000);
}

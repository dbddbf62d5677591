import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExecutionObservation, mergeAll } from '../../../functions/history/domain/merge-execution';
import { observeCodePipelineEvent } from '../../../functions/history/domain/observe-codepipeline-event';
import {
  mergeRun,
  type RunObservation,
  type RunRecord,
  runFactsOf,
  runRecordOf,
} from '../../../functions/history/domain/run-record';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { demoScenario } from '../../support/events';

/**
 * EventBridge may deliver any event more than once and in any order. For every execution of the demo
 * scenario (real-shaped events: successes, a failed stage retried to success, STOPPING/STOPPED, SUPERSEDED,
 * one still running), any shuffle with every event delivered one to three times must yield exactly the record
 * in-order delivery yields.
 */
const scenario = demoScenario();
const observationsByExecution = new Map<string, ExecutionObservation[]>();
const runObservations = new Map<string, RunObservation[]>();

for (const raw of scenario.events) {
  const event = parseRecorderEvent(raw);
  if (event.source === 'aws.codepipeline') {
    const observation = observeCodePipelineEvent(event);
    const list = observationsByExecution.get(observation.executionId) ?? [];
    list.push(observation);
    observationsByExecution.set(observation.executionId, list);
  } else if (event.source === 'aws.codedeploy') {
    const runId = event.detail.deploymentId;
    const list = runObservations.get(runId) ?? [];
    list.push({
      kind: 'deployment',
      runId,
      at: event.time,
      status: { status: event.detail.state, statusAt: event.time, attempt: 1 },
      attributes: { application: event.detail.application, deploymentGroup: event.detail.deploymentGroup },
    });
    runObservations.set(runId, list);
  }
}

function deliveries<T>(items: readonly T[]) {
  return fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: items.length, maxLength: items.length }),
      fc.infiniteStream(fc.nat()),
    )
    .chain(([copies]) => {
      const delivered = items.flatMap((item, index) =>
        Array.from({ length: copies[index] ?? 1 }, () => item),
      );
      return fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length });
    });
}

describe('order-proof merge (property)', () => {
  it('has one execution per scenario execution, each with several events', () => {
    expect(observationsByExecution.size).toBe(Object.keys(scenario.sourceRevisions).length);
    expect(Math.min(...[...observationsByExecution.values()].map((list) => list.length))).toBeGreaterThan(5);
  });

  for (const [executionId, observations] of observationsByExecution) {
    it(`execution ${executionId.slice(0, 8)}: any shuffle of triplicated events gives the in-order record`, () => {
      const inOrder = mergeAll(observations);
      fc.assert(
        fc.property(deliveries(observations), (shuffled) => {
          expect(mergeAll(shuffled)).toEqual(inOrder);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('deployments: any shuffle of triplicated CodeDeploy events gives the in-order record', () => {
    for (const observations of runObservations.values()) {
      const fold = (list: readonly RunObservation[]) =>
        list.reduce<RunRecord | undefined>((record, observation) => mergeRun(record, observation), undefined);
      const inOrder = fold(observations);
      fc.assert(
        fc.property(deliveries(observations), (shuffled) => {
          expect(fold(shuffled)).toEqual(inOrder);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('deployments: the facts of any shuffle of triplicated observations fold to the in-order record', () => {
    for (const observations of runObservations.values()) {
      const inOrder = observations.reduce<RunRecord | undefined>(mergeRun, undefined) as RunRecord;
      expect(runRecordOf(runFactsOf(inOrder))).toEqual(inOrder);
      fc.assert(
        fc.property(deliveries(observations), (shuffled) => {
          const facts = shuffled.map((observation) => runFactsOf(mergeRun(undefined, observation)));
          expect(
            runRecordOf({
              kind: inOrder.kind,
              runId: inOrder.runId,
              eventTimes: facts.flatMap((fact) => fact.eventTimes),
              statuses: facts.flatMap((fact) => fact.statuses),
              attributes: facts.flatMap((fact) => fact.attributes),
              pipelineLinks: facts.flatMap((fact) => fact.pipelineLinks),
              rollbacks: facts.flatMap((fact) => fact.rollbacks),
            }),
          ).toEqual(inOrder);
        }),
        { numRuns: 50 },
      );
    }
  });
});

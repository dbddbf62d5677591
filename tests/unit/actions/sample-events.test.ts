import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alarmBakeParams } from '../../../functions/actions/alarm-bake/alarm-bake-params';
import { changeWindowParams } from '../../../functions/actions/change-window/change-window-params';
import { smokeTestParams } from '../../../functions/actions/http-smoke-test/smoke-test-params';
import { codePipelineJobEvent } from '../../../layers/action-runtime/src/job-event';

const schemas = {
  'alarm-bake': alarmBakeParams,
  'change-window': changeWindowParams,
  'http-smoke-test': smokeTestParams,
};
// Samples of the failure paths: their UserParameters are wrong on purpose.
const invalidOnPurpose = new Set(['invalid-json.json', 'invalid-time-zone.json']);

const samples = Object.keys(schemas).flatMap((action) =>
  readdirSync(join('events/actions', action)).map((file) => [action as keyof typeof schemas, file] as const),
);

describe('sample invoke-action events', () => {
  it.each(samples)(
    '%s/%s is a CodePipeline job event with the UserParameters it means to have',
    (action, file) => {
      const event = codePipelineJobEvent.parse(
        JSON.parse(readFileSync(join('events/actions', action, file), 'utf8')),
      );
      const userParameters =
        event['CodePipeline.job'].data.actionConfiguration?.configuration?.UserParameters ?? '';
      let parsed = false;
      try {
        parsed = schemas[action].safeParse(JSON.parse(userParameters)).success;
      } catch {}
      expect(parsed).toBe(!invalidOnPurpose.has(file));
    },
  );
});

import { describe } from 'vitest';
import { exactlyOnceProperties, redeployScenario } from './exactly-once';

describe('rollback-on-alarm under faults: CreateDeployment', () => {
  exactlyOnceProperties(redeployScenario, 40);
});

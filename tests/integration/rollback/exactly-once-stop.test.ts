import { describe } from 'vitest';
import { exactlyOnceProperties, stopScenario } from './exactly-once';

describe('rollback-on-alarm under faults: StopDeployment', () => {
  exactlyOnceProperties(stopScenario, 40);
});

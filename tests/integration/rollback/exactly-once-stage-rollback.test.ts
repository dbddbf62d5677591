import { describe } from 'vitest';
import { exactlyOnceProperties, stageRollbackScenario } from './exactly-once';

describe('rollback-on-alarm under faults: RollbackStage', () => {
  exactlyOnceProperties(stageRollbackScenario, 40);
});

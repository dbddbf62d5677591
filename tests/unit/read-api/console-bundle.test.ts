import { describe, expect, it } from 'vitest';
import { CONSOLE_SCRIPT } from '../../../functions/read-api/console/console-script';
import { bundleConsoleScript } from '../../../tooling/build-console';

describe('the console script the read API serves', () => {
  it('is the bundle of browser/console.ts as it is now (run npm run build:console after editing it)', async () => {
    expect(CONSOLE_SCRIPT).toBe(await bundleConsoleScript());
  });
});

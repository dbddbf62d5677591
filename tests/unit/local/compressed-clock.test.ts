import { describe, expect, it } from 'vitest';
import { compressedClock } from '../../../local/compressed-clock';

describe("local mode's compressed clock for invoke actions", () => {
  it('moves ahead by each wait without waiting it, and never goes back', async () => {
    const clock = compressedClock();
    const before = clock.now();
    await clock.sleep(10 * 60_000, new AbortController().signal);
    const after = clock.now();
    expect(after - before).toBeGreaterThanOrEqual(10 * 60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(after);
  });

  it('stops waiting when the invocation is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('invocation over'));
    // As the deployed sleep does (node:timers/promises): an AbortError.
    await expect(compressedClock().sleep(1_000, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

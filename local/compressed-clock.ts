import { setTimeout as sleep } from 'node:timers/promises';

/** The clock an invoke action waits on: what `now` says, and how it waits. */
export interface ActionClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

// A real pause per wait: other work (HTTP requests, other functions) still interleaves with a polling loop.
const REAL_PAUSE_MS = 1;

/**
 * Time that jumps over waits: `sleep(ms)` pauses a millisecond and moves this clock `ms` ahead, so a
 * ten-minute alarm bake polls its twenty times in well under a second, as Lambda's async retries are
 * compressed locally. Never behind the wall clock and never going back, so deadlines written into
 * continuation tokens by this clock stay meaningful to it.
 */
export function compressedClock(): ActionClock {
  let skippedMs = 0;
  return {
    now: () => Date.now() + skippedMs,
    async sleep(ms, signal) {
      await sleep(REAL_PAUSE_MS, undefined, { signal });
      skippedMs += ms;
    },
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EVENTS_DIR = fileURLToPath(new URL('../../events', import.meta.url));

export function readEvent<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(readFileSync(join(EVENTS_DIR, relativePath), 'utf8')) as T;
}

/** Every sample event: `events/<function-folder>/<case>.json` (the demo scenario excluded). */
export function sampleEvents(): { folder: string; file: string; event: Record<string, unknown> }[] {
  return readdirSync(EVENTS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'demo')
    .flatMap((dir) =>
      readdirSync(join(EVENTS_DIR, dir.name))
        .filter((file) => file.endsWith('.json'))
        .map((file) => ({ folder: dir.name, file, event: readEvent(join(dir.name, file)) })),
    );
}

export interface DemoScenario {
  events: Record<string, unknown>[];
  sourceRevisions: Record<string, Record<string, unknown>[]>;
}

export function demoScenario(): DemoScenario {
  return readEvent<DemoScenario>('demo/scenario.json');
}

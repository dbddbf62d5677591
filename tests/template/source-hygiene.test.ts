import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('node_modules'))
    .map((file) => join(folder, file));
}

/**
 * What runs in Lambda logs through Powertools and keeps state in DynamoDB: a file write or a console.log left
 * from debugging costs I/O on every invocation, grows /tmp for the container's life and bypasses log levels.
 */
describe('function and layer sources', () => {
  const files = [...sources('functions'), ...sources('layers/action-runtime/src')];

  it.each([
    ['file writes', /\b(appendFileSync|writeFileSync|appendFile|writeFile|createWriteStream)\s*\(/],
    ['console.log / console.debug', /\bconsole\.(log|debug)\s*\(/],
    ['debugger statements', /^\s*debugger\s*;?\s*$/m],
  ])('contain no %s', (_, pattern) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('are found (the check above is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(50);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../tooling/template';

describe('docs/deploy.md', () => {
  it('documents every template parameter', () => {
    const docs = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const undocumented = Object.keys(loadTemplate().Parameters ?? {}).filter(
      (name) => !docs.includes(`| \`${name}\` |`),
    );
    expect(undocumented).toEqual([]);
  });
});

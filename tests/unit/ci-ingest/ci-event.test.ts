import { describe, expect, it } from 'vitest';
import { ciEvent } from '../../../functions/ci-ingest/domain/ci-event';

/**
 * The generic CI shape's fields, at both ends of each pattern: a value that only starts or only ends right is
 * refused with the field's own message, so a pattern missing its `^` or `$` shows here.
 */
const started = {
  type: 'run.started',
  id: 'evt-1',
  time: '2026-11-30T10:00:00.000Z',
  system: 'jenkins',
  pipeline: 'checkout',
  runId: '42',
};

/** The messages of a refusal, by field path (undefined when the event is accepted). */
function refusal(event: object): Record<string, string> | undefined {
  const parsed = ciEvent.safeParse(event);
  if (parsed.success) return undefined;
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('the generic CI event', () => {
  it('accepts a run start with its defaults, and every pattern at its edges', () => {
    expect(ciEvent.parse(started)).toEqual({ ...started, attempt: 1 });
    expect(
      refusal({
        ...started,
        system: `a${'b'.repeat(62)}`,
        runId: 'A'.repeat(64),
        url: 'http://ci.example.com/42',
        commit: { id: 'v1.2_3-rc', url: 'https://git.example.com/c/1' },
      }),
    ).toBeUndefined();
  });

  const SYSTEM = 'expected lower-case letters, digits, . and - (1 to 63)';
  const RUN_ID = 'expected 1 to 64 letters, digits and -';
  const COMMIT_ID = 'expected a commit id (letters, digits, . _ -)';
  it.each([
    ['a system that only starts right', { system: 'jenkins!' }, { system: SYSTEM }],
    ['a system that only ends right', { system: '-jenkins' }, { system: SYSTEM }],
    ['a system of 64 characters', { system: 'a'.repeat(64) }, { system: SYSTEM }],
    ['a run id that only starts right', { runId: '42 ' }, { runId: RUN_ID }],
    ['a run id that only ends right', { runId: '#42' }, { runId: RUN_ID }],
    ['a run id of 65 characters', { runId: 'a'.repeat(65) }, { runId: RUN_ID }],
    ['a commit id that only starts right', { commit: { id: 'abc def' } }, { 'commit.id': COMMIT_ID }],
    ['a commit id that only ends right', { commit: { id: '/abc' } }, { 'commit.id': COMMIT_ID }],
  ])('refuses %s with the field and its message', (_case, change, expected) => {
    expect(refusal({ ...started, ...change })).toEqual(expected);
  });

  it.each([
    'ftp://ci.example.com/42',
    'httpsx://ci.example.com/42',
    'xhttp://ci.example.com/42',
    'http2://ci.example.com/42',
  ])('refuses a run or commit URL that is not http or https: %s', (url) => {
    expect(Object.keys(refusal({ ...started, url }) ?? {})).toEqual(['url']);
    expect(Object.keys(refusal({ ...started, commit: { id: 'abc', url } }) ?? {})).toEqual(['commit.url']);
  });

  it('accepts both http and https URLs', () => {
    for (const url of ['http://ci.example.com/42', 'https://ci.example.com/42']) {
      expect(refusal({ ...started, url, commit: { id: 'abc', url } })).toBeUndefined();
    }
  });
});

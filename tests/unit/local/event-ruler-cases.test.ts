import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern } from '../../../tooling/event-pattern';
import fixture from '../../fixtures/event-ruler/cases.json';

type Cases = {
  cases: { name: string; from: string; pattern: EventPattern; event: unknown; matches: boolean }[];
  invalid: { name: string; from: string; pattern: EventPattern; error: string }[];
};
const { cases, invalid } = fixture as unknown as Cases;

// Expectations that event-ruler (EventBridge's matcher) states in its own tests and README; see the fixture's README.
describe('matchesPattern agrees with event-ruler', () => {
  it.each(cases)('$name', ({ pattern, event, matches }) => {
    expect(matchesPattern(pattern, event)).toBe(matches);
  });

  it.each(invalid)('refuses $name', ({ pattern, error }) => {
    expect(() => matchesPattern(pattern, {})).toThrow(error);
  });
});

import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../../tooling/event-pattern';

const event = {
  source: 'aws.codebuild',
  'detail-type': 'CodeBuild Build State Change',
  resources: ['arn:a', 'arn:b'],
  detail: {
    'build-status': 'FAILED',
    size: 42,
    'additional-information': { initiator: 'codepipeline/orders' },
    metrics: [{ name: 'Errors' }, { name: 'Throttles' }],
    tags: [],
  },
};

describe('matchesPattern', () => {
  it.each([
    ['exact values', { source: ['aws.codebuild'] }, true],
    ['a list matches if any value matches', { source: ['aws.codepipeline', 'aws.codebuild'] }, true],
    ['a different value', { source: ['aws.codepipeline'] }, false],
    ['nested fields', { detail: { 'build-status': ['FAILED'] } }, true],
    ['prefix', { detail: { 'additional-information': { initiator: [{ prefix: 'codepipeline/' }] } } }, true],
    [
      'prefix that does not match',
      { detail: { 'additional-information': { initiator: [{ prefix: 'user/' }] } } },
      false,
    ],
    ['suffix', { detail: { 'build-status': [{ suffix: 'LED' }] } }, true],
    ['anything-but a value', { detail: { 'build-status': [{ 'anything-but': 'SUCCEEDED' }] } }, true],
    [
      'anything-but a list',
      { detail: { 'build-status': [{ 'anything-but': ['FAILED', 'STOPPED'] }] } },
      false,
    ],
    ['anything-but a prefix', { detail: { 'build-status': [{ 'anything-but': { prefix: 'FA' } }] } }, false],
    ['numeric ranges', { detail: { size: [{ numeric: ['>', 40, '<=', 42] }] } }, true],
    ['numeric outside the range', { detail: { size: [{ numeric: ['<', 40] }] } }, false],
    ['exists', { detail: { size: [{ exists: true }] } }, true],
    ['exists: false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
    ['exists: false on a present field', { detail: { size: [{ exists: false }] } }, false],
    ['a missing field', { detail: { missing: ['x'] } }, false],
    ['equals-ignore-case', { detail: { 'build-status': [{ 'equals-ignore-case': 'failed' }] } }, true],
    ['wildcard', { 'detail-type': [{ wildcard: 'CodeBuild * Change' }] }, true],
    ['an array field matches if any element matches', { resources: ['arn:b'] }, true],
    ['$or', { $or: [{ source: ['nope'] }, { detail: { 'build-status': ['FAILED'] } }] }, true],
    ['a nested pattern through an array of objects', { detail: { metrics: { name: ['Errors'] } } }, true],
    ['a nested pattern no array element matches', { detail: { metrics: { name: ['Latency'] } } }, false],
    ['exists: false below an absent parent', { detail: { nope: { x: [{ exists: false }] } } }, true],
    ['a value below an absent parent', { detail: { nope: { x: ['y'] } } }, false],
    ['exists: true on an empty array', { detail: { tags: [{ exists: true }] } }, false],
    ['exists: false on an empty array', { detail: { tags: [{ exists: false }] } }, true],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern as never, event)).toBe(expected);
  });

  it.each([
    ['cidr (EventBridge has it, this matcher does not)', { source: [{ cidr: '10.0.0.0/8' }] }],
    ['an operator EventBridge does not have', { source: [{ contains: 'code' }] }],
    [
      'anything-but with an operator it does not take',
      { source: [{ 'anything-but': { numeric: ['>', 1] } }] },
    ],
    ['an operator on a field the event lacks', { detail: { missing: [{ cidr: '10.0.0.0/8' }] } }],
  ])('refuses %s, rather than guessing', (_name, pattern) => {
    expect(() => matchesPattern(pattern as never, event)).toThrow(/Unsupported event-pattern operator/);
  });

  it.each([
    [
      'a plain value where a list belongs',
      { source: 'aws.codebuild' },
      /must be an object or a list of values/,
    ],
    [
      'a matcher with two operators',
      { source: [{ prefix: 'a', suffix: 'b' }] },
      /Invalid event-pattern matcher/,
    ],
    ['exists that is not a boolean', { source: [{ exists: 'yes' }] }, /Invalid event-pattern matcher/],
    [
      'numeric with an unknown comparison',
      { size: [{ numeric: ['!=', 1] }] },
      /Invalid event-pattern matcher/,
    ],
    ['numeric with an inherited name', { size: [{ numeric: ['toString', 1] }] }, /Invalid/],
    ['numeric with a bound that is not a number', { size: [{ numeric: ['>', '1'] }] }, /Invalid/],
    ['$or that is not a list', { $or: { source: ['x'] } }, /\$or takes a list of patterns/],
  ])('refuses %s', (_name, pattern, error) => {
    expect(() => matchesPattern(pattern as never, event)).toThrow(error);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ApprovalsPolicyError,
  findApprovalRule,
  matchesGlob,
  mayApprove,
  parseApprovalsPolicy,
} from '../../../functions/approvals/domain/approvals-policy';

const policy = parseApprovalsPolicy(
  JSON.stringify({
    rules: [
      {
        pipeline: 'payments-*',
        stage: 'Prod*',
        channel: 'C0PAYMENTS',
        approvers: { users: ['U0ALICE'] },
        quorum: 2,
      },
      { pipeline: 'web', channel: 'C0WEB', approvers: { groups: ['S0RELEASE'] } },
    ],
  }),
);

describe('approvals policy', () => {
  it('defaults the quorum to 1 and empty approver lists', () => {
    expect(policy.rules[1]).toMatchObject({ quorum: 1, approvers: { users: [], groups: ['S0RELEASE'] } });
  });

  it.each([
    ['a listed user on a glob-matched pipeline and stage', 'U0ALICE', [], 'payments-api', 'ProdEU', true],
    ['a listed user on a stage the rule does not cover', 'U0ALICE', [], 'payments-api', 'Staging', false],
    ['a member of an allowed group', 'U0BOB', ['S0OTHER', 'S0RELEASE'], 'web', 'Anything', true],
    ['a user in no allowed group', 'U0BOB', ['S0OTHER'], 'web', 'Prod', false],
    ['anyone on a pipeline no rule names', 'U0ALICE', ['S0RELEASE'], 'unknown', 'Prod', false],
    ['a glob that must match the whole name', 'U0BOB', ['S0RELEASE'], 'web-2', 'Prod', false],
  ])('decides %s', (_case, user, groups, pipeline, stage, expected) => {
    expect(mayApprove(policy, user, groups, pipeline, stage)).toBe(expected);
  });

  it('uses the first matching rule', () => {
    expect(findApprovalRule(policy, 'payments-api', 'ProdUS')?.channel).toBe('C0PAYMENTS');
  });

  it('treats regex characters in a pattern literally', () => {
    expect(matchesGlob('a.b', 'axb')).toBe(false);
    expect(matchesGlob('a?b*', 'a.bcd')).toBe(true);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no rules', '{"rules":[]}', /rules/],
    [
      'a bad channel id',
      '{"rules":[{"pipeline":"x","channel":"general","approvers":{"users":["U1AB"]}}]}',
      /rules\.0\.channel/,
    ],
    [
      'a quorum of 0',
      '{"rules":[{"pipeline":"x","channel":"C1AB","approvers":{"users":["U1AB"]},"quorum":0}]}',
      /quorum/,
    ],
    [
      'no approvers',
      '{"rules":[{"pipeline":"x","channel":"C1AB","approvers":{}}]}',
      /at least one user or group/,
    ],
  ])('rejects a policy with %s, naming the field', (_case, json, message) => {
    expect(() => parseApprovalsPolicy(json)).toThrow(message);
  });
});

describe('approvals policy: exact matching and messages', () => {
  it('matches a glob against the whole name: `*` any run (even none), `?` exactly one character', () => {
    expect(matchesGlob('web', 'web')).toBe(true);
    expect(matchesGlob('web', 'my-web')).toBe(false);
    expect(matchesGlob('web', 'web-2')).toBe(false);
    expect(matchesGlob('web*', 'web')).toBe(true);
    expect(matchesGlob('w?b', 'web')).toBe(true);
    expect(matchesGlob('w?b', 'wb')).toBe(false);
    expect(matchesGlob('w?b', 'weeb')).toBe(false);
  });

  it.each(['a+b', 'a^b', 'a$b', 'a{1}', 'a(b)', 'a|b', 'a[b]', 'a\\b'])('treats %s literally', (pattern) => {
    expect(matchesGlob(pattern, pattern)).toBe(true);
    expect(matchesGlob(pattern, pattern.replace(/[^a]/g, 'x'))).toBe(false);
  });

  it('applies a rule without a stage to every stage, and skips a rule whose stage does not match', () => {
    const ordered = parseApprovalsPolicy(
      JSON.stringify({
        rules: [
          { pipeline: 'web', stage: 'Prod', channel: 'C0PROD', approvers: { users: ['U0ALICE'] } },
          { pipeline: 'web', channel: 'C0ANY', approvers: { users: ['U0BOB'] } },
        ],
      }),
    );
    expect(findApprovalRule(ordered, 'web', 'Prod')?.channel).toBe('C0PROD');
    expect(findApprovalRule(ordered, 'web', 'Staging')?.channel).toBe('C0ANY');
    expect(findApprovalRule(ordered, 'api', 'Prod')).toBeUndefined();
    expect(mayApprove(ordered, 'U0BOB', [], 'web', 'Prod')).toBe(false);
    expect(mayApprove(ordered, 'U0BOB', [], 'web', 'Staging')).toBe(true);
  });

  it('names the rule without approvers by its index, exactly', () => {
    const json = JSON.stringify({
      rules: [
        { pipeline: 'a', channel: 'C1AB', approvers: { groups: ['S1AB'] } },
        { pipeline: 'b', channel: 'C1AB', approvers: { users: [], groups: [] } },
      ],
    });
    expect(() => parseApprovalsPolicy(json)).toThrow(
      /^APPROVALS_POLICY rules\.1\.approvers: name at least one user or group$/,
    );
    expect(() => parseApprovalsPolicy('{')).toThrow(/^APPROVALS_POLICY is not valid JSON: \S/);
    expect(() => parseApprovalsPolicy('{"rules":[]}')).toThrow(/^APPROVALS_POLICY is invalid: rules/);
  });
});

describe('approvals policy: Slack ids are whole ids', () => {
  const withApprovers = (approvers: object) =>
    JSON.stringify({ rules: [{ pipeline: 'x', channel: 'C1AB', approvers }] });

  it.each([
    ['a user id with a lower-case tail', { users: ['U0ABc'] }, /rules\.0\.approvers\.users\.0/],
    ['a user id after other text', { users: ['xU0AB'] }, /rules\.0\.approvers\.users\.0/],
    ['a group id with a lower-case tail', { groups: ['S0ABc'] }, /rules\.0\.approvers\.groups\.0/],
    ['a group id after other text', { groups: ['xS0AB'] }, /rules\.0\.approvers\.groups\.0/],
  ])('refuses %s', (_case, approvers, field) => {
    expect(() => parseApprovalsPolicy(withApprovers(approvers))).toThrow(field);
  });

  it('throws errors that say what they are', () => {
    let thrown: unknown;
    try {
      parseApprovalsPolicy('{');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApprovalsPolicyError);
    expect((thrown as Error).name).toBe('ApprovalsPolicyError');
  });
});

describe('approvals policy: account and region', () => {
  const withPlace = (place: object) =>
    JSON.stringify({ rules: [{ pipeline: 'x', channel: 'C1AB', approvers: { users: ['U1AB'] }, ...place }] });

  it.each([
    ['an account', { account: '111122223333' }],
    ['an account glob', { account: '1111*?' }],
    ['a region', { region: 'us-gov-west-1' }],
    ['a region glob', { region: 'eu-*' }],
  ])('accepts %s', (_case, place) => {
    expect(parseApprovalsPolicy(withPlace(place)).rules[0]).toMatchObject(place);
  });

  it.each([
    ['an account after other text', { account: 'x1111' }, /rules\.0\.account/],
    ['an account followed by other text', { account: '1111x' }, /rules\.0\.account/],
    ['a region with an upper-case letter before the rest', { region: 'US-east-1' }, /rules\.0\.region/],
    ['a region followed by other text', { region: 'us-east-1_' }, /rules\.0\.region/],
  ])('refuses %s', (_case, place, field) => {
    expect(() => parseApprovalsPolicy(withPlace(place))).toThrow(field);
  });

  const placed = parseApprovalsPolicy(
    JSON.stringify({
      rules: [
        {
          pipeline: 'web',
          channel: 'C0PROD',
          approvers: { users: ['U0ALICE'] },
          account: '1111*',
          region: 'eu-*',
        },
        { pipeline: 'web', channel: 'C0ANY', approvers: { users: ['U0BOB'] } },
      ],
    }),
  );

  it.each([
    ['a matching account and region', { account: '111122223333', region: 'eu-west-1' }, 'C0PROD'],
    ['another account', { account: '222233334444', region: 'eu-west-1' }, 'C0ANY'],
    ['another region', { account: '111122223333', region: 'us-east-1' }, 'C0ANY'],
    ['an unknown account', { region: 'eu-west-1' }, 'C0ANY'],
    ['an unknown region', { account: '111122223333' }, 'C0ANY'],
    ['an unknown place', {}, 'C0ANY'],
  ])('matches a rule that names a place only at that place: %s', (_case, place, channel) => {
    expect(findApprovalRule(placed, 'web', 'Prod', place)?.channel).toBe(channel);
  });

  it('does not let an unknown account or region match even a rule whose glob matches anything', () => {
    const anywhere = parseApprovalsPolicy(
      JSON.stringify({
        rules: [
          { pipeline: 'web', channel: 'C0ACCOUNT', approvers: { users: ['U0ALICE'] }, account: '*' },
          { pipeline: 'web', channel: 'C0REGION', approvers: { users: ['U0ALICE'] }, region: '*' },
          { pipeline: 'web', channel: 'C0ANY', approvers: { users: ['U0BOB'] } },
        ],
      }),
    );
    expect(findApprovalRule(anywhere, 'web', 'Prod', {})?.channel).toBe('C0ANY');
    expect(findApprovalRule(anywhere, 'web', 'Prod', { region: 'eu-west-1' })?.channel).toBe('C0REGION');
    expect(findApprovalRule(anywhere, 'web', 'Prod', { account: '111122223333' })?.channel).toBe('C0ACCOUNT');
  });
});

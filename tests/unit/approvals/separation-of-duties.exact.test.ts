import { describe, expect, it } from 'vitest';
import type { ApprovalRule } from '../../../functions/approvals/domain/approvals-policy';
import {
  decideEligibility,
  decideSeparation,
  exclusionReason,
  needsApproverEmail,
  type Separation,
} from '../../../functions/approvals/domain/separation-of-duties';

type Rule = Pick<ApprovalRule, 'separationOfDuties' | 'onUnknownAuthor' | 'identities'>;
const rule = (fields: Partial<Rule>): Rule => ({
  separationOfDuties: 'author',
  onUnknownAuthor: 'allow',
  identities: {},
  ...fields,
});

const AUTHOR_REASON =
  'You wrote commit a1b2c3d4e5f6 of this change, and this approval rule does not let an author approve their own change. Another approver must approve it; you may still reject it.';
const STARTER_REASON =
  'You started this pipeline execution, and this approval rule does not let whoever started a change approve it. Another approver must approve it; you may still reject it.';

describe('separation of duties: exact decisions', () => {
  it('excludes an author of several commits once, however the e-mail is spelled', () => {
    const separation = decideSeparation(rule({}), {
      authors: [
        { commitId: 'a1b2c3d4e5f60718293a', email: 'Alice@Example.com' },
        { commitId: 'b2c3d4e5f6071829', email: 'alice@example.COM' },
        { commitId: 'c3d4e5f607182930', email: 'bob@example.com' },
      ],
    });
    expect(separation).toEqual({
      mode: 'author',
      onUnknownApprover: 'allow',
      excluded: [
        {
          reason: 'author',
          who: 'Alice@Example.com',
          commitId: 'a1b2c3d4e5f60718293a',
          email: 'alice@example.com',
        },
        { reason: 'author', who: 'bob@example.com', commitId: 'c3d4e5f607182930', email: 'bob@example.com' },
      ],
    });
  });

  it('says "not read" when nothing says why an author is unknown', () => {
    const separation = decideSeparation(rule({}), { authors: [{ commitId: 'a1b2c3d4e5f60718293a' }] });
    expect(separation?.unknown).toEqual({
      outcome: 'allow',
      reasons: ['the author of commit a1b2c3d4e5f6 is not known (not read)'],
    });
  });

  it('names an unrecorded trigger when no person started the execution and no trigger is known', () => {
    expect(decideSeparation(rule({ separationOfDuties: 'starter' }), { authors: [] })).toEqual({
      mode: 'starter',
      onUnknownApprover: 'allow',
      excluded: [],
      startedWithoutPerson: 'an unrecorded trigger',
    });
  });

  it.each([
    ['a Slack user id', 'U0CAROL', { slackUserId: 'U0CAROL' }],
    ['an e-mail that ends like a user id', 'ops@corp.UAB', { email: 'ops@corp.uab' }],
    ['an e-mail that starts like a user id', 'U0AB@corp.example', { email: 'u0ab@corp.example' }],
  ])('tells a mapped Slack user id from %s', (_case, mapped, identity) => {
    const separation = decideSeparation(
      rule({ separationOfDuties: 'starter', identities: { deployer: mapped } }),
      {
        authors: [],
        starter: { principal: 'arn:aws:iam::111122223333:user/deployer', name: 'deployer' },
      },
    );
    expect(separation?.excluded).toEqual([
      { reason: 'starter', who: 'arn:aws:iam::111122223333:user/deployer', ...identity },
    ]);
  });

  it.each([
    ['two @ signs', 'carol@example.com@corp'],
    ['a space', 'carol x@example.com'],
  ])('does not take a session name with %s for an e-mail', (_case, name) => {
    const principal = `arn:aws:sts::111122223333:assumed-role/Deployer/${name}`;
    const separation = decideSeparation(rule({ separationOfDuties: 'starter' }), {
      authors: [],
      starter: { principal, name },
    });
    expect(separation).toEqual({
      mode: 'starter',
      excluded: [],
      onUnknownApprover: 'allow',
      unknown: {
        outcome: 'allow',
        reasons: [`${principal} started this execution and has no Slack identity (add it to identities)`],
      },
    });
  });
});

describe('separation of duties: eligibility, exactly', () => {
  const byUserId: Separation = {
    mode: 'starter',
    excluded: [{ reason: 'starter', who: 'arn:aws:iam::111122223333:user/carol', slackUserId: 'U0CAROL' }],
  };

  it('does not match an approver without a Slack e-mail to an exclusion without one', () => {
    expect(decideEligibility(byUserId, { userId: 'U0DAN' })).toEqual({ eligible: true });
    expect(decideEligibility(byUserId, { userId: 'U0CAROL' })).toEqual({
      eligible: false,
      reason: STARTER_REASON,
    });
  });

  it('joins the reasons nobody may approve with "; "', () => {
    const separation: Separation = {
      mode: 'author',
      excluded: [],
      unknown: { outcome: 'refuse', reasons: ['first reason', 'second reason'] },
    };
    expect(decideEligibility(separation, { userId: 'U0DAN' })).toEqual({
      eligible: false,
      reason:
        'Nobody may approve this change in Slack: first reason; second reason, and this approval rule refuses approval when it cannot tell who made or started the change. Approve in the CodePipeline console if you are allowed to; rejecting here still works.',
    });
  });

  it('gives the author and the starter their own reasons', () => {
    expect(
      exclusionReason({ reason: 'author', who: 'alice@example.com', commitId: 'a1b2c3d4e5f60718293a' }),
    ).toBe(AUTHOR_REASON);
    expect(exclusionReason({ reason: 'starter', who: 'arn:aws:iam::111122223333:user/carol' })).toBe(
      STARTER_REASON,
    );
    // A stored exclusion of an author without its commit still explains itself.
    expect(exclusionReason({ reason: 'author', who: 'alice@example.com' })).toBe(
      AUTHOR_REASON.replace('commit a1b2c3d4e5f6', 'a commit'),
    );
  });
});

describe("whether the clicker's Slack e-mail is needed", () => {
  it.each([
    ['no separation', undefined, false],
    ['nobody excluded', { mode: 'author', excluded: [] }, false],
    [
      'exclusions by user id only',
      { mode: 'starter', excluded: [{ reason: 'starter', who: 'arn', slackUserId: 'U0CAROL' }] },
      false,
    ],
    [
      'one exclusion by e-mail among others',
      {
        mode: 'author-or-starter',
        excluded: [
          { reason: 'starter', who: 'arn', slackUserId: 'U0CAROL' },
          { reason: 'author', who: 'a@example.com', commitId: 'a1b2c3d', email: 'a@example.com' },
        ],
      },
      true,
    ],
  ] as const)('%s: %s', (_case, separation, needed) => {
    expect(needsApproverEmail(separation as Separation | undefined)).toBe(needed);
  });
});

describe('an approver Slack shows no e-mail for', () => {
  const authoredByAlice = (onUnknownAuthor: 'allow' | 'refuse') =>
    decideSeparation(rule({ onUnknownAuthor }), {
      authors: [{ commitId: 'a1b2c3d4e5f60718293a', email: 'alice@example.com' }],
    });

  it('is refused when the rule refuses what it cannot tell: it might be the author', () => {
    expect(decideEligibility(authoredByAlice('refuse'), { userId: 'U0HIDDEN' })).toEqual({
      eligible: false,
      reason:
        'Slack shows no e-mail address for you, so this approval rule cannot tell whether you wrote or started this change, and it refuses approval when it cannot tell. Another approver must approve it; you may still reject it.',
    });
  });

  it('is allowed when the rule allows it, and whenever an e-mail is shown', () => {
    expect(decideEligibility(authoredByAlice('allow'), { userId: 'U0HIDDEN' })).toEqual({ eligible: true });
    expect(
      decideEligibility(authoredByAlice('refuse'), { userId: 'U0BOB', email: 'bob@example.com' }),
    ).toEqual({ eligible: true });
  });
});

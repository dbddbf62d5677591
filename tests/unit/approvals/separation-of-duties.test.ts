import { describe, expect, it } from 'vitest';
import { approvalRequestMessage } from '../../../functions/approvals/adapters/approval-messages';
import {
  type ApprovalRule,
  parseApprovalsPolicy,
} from '../../../functions/approvals/domain/approvals-policy';
import type { ChangeParties } from '../../../functions/approvals/domain/change-parties';
import {
  decideEligibility,
  decideSeparation,
  type Separation,
} from '../../../functions/approvals/domain/separation-of-duties';
import { approvalView } from './approval-view';

const ruleWith = (fields: Partial<ApprovalRule>): ApprovalRule => {
  const [rule] = parseApprovalsPolicy(
    JSON.stringify({
      rules: [{ pipeline: 'web', channel: 'C0WEB', approvers: { users: ['U0ALICE'] }, ...fields }],
    }),
  ).rules;
  if (!rule) throw new Error('no rule');
  return rule;
};

const STARTER = 'arn:aws:sts::111122223333:assumed-role/Deployer/carol@example.com';
/** Alice wrote the commit; Carol started the execution by hand (her SSO session name is her e-mail). */
const parties: ChangeParties = {
  authors: [{ commitId: 'a1b2c3d4e5f60718293a', email: 'Alice@Example.com' }],
  starter: { principal: STARTER, name: 'carol@example.com' },
  trigger: 'StartPipelineExecution',
};
const alice = { userId: 'U0ALICE', email: 'alice@example.com' };
const carol = { userId: 'U0CAROL', email: 'CAROL@example.com' };
const dan = { userId: 'U0DAN', email: 'dan@example.com' };

const eligible = (separation: Separation | undefined, approver: { userId: string; email?: string }) =>
  decideEligibility(separation, approver).eligible;

describe('separation of duties', () => {
  it('separates nothing by default: the rule keeps working as before', () => {
    const rule = ruleWith({});
    expect(rule).toMatchObject({ separationOfDuties: 'none', onUnknownAuthor: 'allow', identities: {} });
    expect(decideSeparation(rule, parties)).toBeUndefined();
    expect(eligible(undefined, alice)).toBe(true);
  });

  it.each([
    ['author', { alice: false, carol: true, dan: true }],
    ['starter', { alice: true, carol: false, dan: true }],
    ['author-or-starter', { alice: false, carol: false, dan: true }],
  ] as const)(
    'in mode %s excludes exactly the right people (e-mails compared case-insensitively)',
    (mode, expected) => {
      const separation = decideSeparation(ruleWith({ separationOfDuties: mode }), parties);
      expect({
        alice: eligible(separation, alice),
        carol: eligible(separation, carol),
        dan: eligible(separation, dan),
      }).toEqual(expected);
      expect(separation?.unknown).toBeUndefined();
    },
  );

  it('explains a refusal to the author and never refuses a rejection-free approver', () => {
    const separation = decideSeparation(ruleWith({ separationOfDuties: 'author' }), parties);
    expect(decideEligibility(separation, alice)).toEqual({
      eligible: false,
      reason: expect.stringContaining('You wrote commit a1b2c3d4e5f6 of this change'),
    });
  });

  it('recognises people through the identities map: principal ARN, session name or commit e-mail, any case', () => {
    const rule = ruleWith({
      separationOfDuties: 'author-or-starter',
      identities: { [STARTER.toUpperCase()]: 'U0CAROL', 'ALICE@example.com': 'alice.smith@corp.example' },
    });
    const separation = decideSeparation(rule, parties);
    expect(separation?.excluded).toEqual([
      {
        reason: 'author',
        who: 'Alice@Example.com',
        commitId: 'a1b2c3d4e5f60718293a',
        email: 'alice.smith@corp.example',
      },
      { reason: 'starter', who: STARTER, slackUserId: 'U0CAROL' },
    ]);
    // Alice's Slack e-mail is not her commit e-mail: only the map links them.
    expect(eligible(separation, alice)).toBe(true);
    expect(eligible(separation, { userId: 'U0ALICE', email: 'Alice.Smith@corp.example' })).toBe(false);
    // Carol is matched by her Slack user id, whatever e-mail Slack shows (or none).
    expect(eligible(separation, { userId: 'U0CAROL' })).toBe(false);
  });

  it('maps an IAM user name to a person', () => {
    const rule = ruleWith({ separationOfDuties: 'starter', identities: { bob: 'bob@example.com' } });
    const separation = decideSeparation(rule, {
      authors: [],
      starter: { principal: 'arn:aws:iam::111122223333:user/ops/bob', name: 'bob' },
    });
    expect(eligible(separation, { userId: 'U0BOB', email: 'BOB@example.com' })).toBe(false);
  });

  describe('when an author cannot be known', () => {
    const unknownAuthor: ChangeParties = {
      authors: [{ commitId: 'b2c3d4e5f6071829', unknownBecause: 'GitHub answered 404' }],
    };

    it('"allow" lets every approver approve, and says why', () => {
      const separation = decideSeparation(ruleWith({ separationOfDuties: 'author' }), unknownAuthor);
      expect(separation?.unknown).toEqual({
        outcome: 'allow',
        reasons: ['the author of commit b2c3d4e5f607 is not known (GitHub answered 404)'],
      });
      expect(eligible(separation, alice)).toBe(true);
    });

    it('"refuse" lets nobody approve in Slack, and says so', () => {
      const separation = decideSeparation(
        ruleWith({ separationOfDuties: 'author', onUnknownAuthor: 'refuse' }),
        unknownAuthor,
      );
      expect(decideEligibility(separation, dan)).toEqual({
        eligible: false,
        reason: expect.stringContaining('Nobody may approve this change in Slack'),
      });
    });

    it('counts an execution without recorded commits as an unknown author', () => {
      const separation = decideSeparation(
        ruleWith({ separationOfDuties: 'author', onUnknownAuthor: 'refuse' }),
        { authors: [] },
      );
      expect(separation?.unknown?.reasons).toEqual(['no source commit of this execution is recorded']);
      expect(eligible(separation, dan)).toBe(false);
    });

    it('counts a starter without a Slack identity as unknown too', () => {
      const separation = decideSeparation(
        ruleWith({ separationOfDuties: 'starter', onUnknownAuthor: 'refuse' }),
        {
          authors: [],
          starter: { principal: 'arn:aws:iam::111122223333:user/deployer', name: 'deployer' },
        },
      );
      expect(separation?.unknown?.reasons[0]).toContain('has no Slack identity (add it to identities)');
      expect(eligible(separation, dan)).toBe(false);
    });
  });

  it('excludes nobody as the starter when no person started the execution', () => {
    const separation = decideSeparation(
      ruleWith({ separationOfDuties: 'starter', onUnknownAuthor: 'refuse' }),
      {
        authors: [],
        trigger: 'CloudWatchEvent',
      },
    );
    expect(separation).toEqual({
      mode: 'starter',
      excluded: [],
      onUnknownApprover: 'refuse',
      startedWithoutPerson: 'CloudWatchEvent',
    });
    expect(eligible(separation, dan)).toBe(true);
  });
});

describe('the request message', () => {
  const text = (separation: Separation | undefined) =>
    JSON.stringify(approvalRequestMessage({ ...approvalView, ...(separation ? { separation } : {}) }).blocks);

  it('shows who may not approve and why', () => {
    const separation = decideSeparation(
      ruleWith({ separationOfDuties: 'author-or-starter', identities: { [STARTER]: 'U0CAROL' } }),
      parties,
    );
    const shown = text(separation);
    expect(shown).toContain('Separation of duties');
    expect(shown).toContain('`alice@example.com`, author of `a1b2c3d4e5f6`');
    expect(shown).toContain('<@U0CAROL>, who started this execution');
  });

  it.each([
    ['allow', 'This rule allows approval all the same'],
    ['refuse', 'nobody can approve in Slack'],
  ] as const)('says what onUnknownAuthor "%s" decided when the author cannot be known', (outcome, says) => {
    const separation = decideSeparation(
      ruleWith({ separationOfDuties: 'author', onUnknownAuthor: outcome }),
      {
        authors: [],
      },
    );
    const shown = text(separation);
    expect(shown).toContain('no source commit of this execution is recorded');
    expect(shown).toContain(says);
  });

  it('shows nothing of it when the rule separates nothing', () => {
    expect(text(undefined)).not.toContain('Separation of duties');
  });
});

describe('the policy', () => {
  it.each([
    [{ separationOfDuties: 'owner' }, 'separationOfDuties'],
    [{ onUnknownAuthor: 'maybe' }, 'onUnknownAuthor'],
    [{ identities: { 'arn:aws:iam::1:user/x': 'not a slack identity' } }, 'identities'],
  ])('rejects %j naming the field', (fields, field) => {
    expect(() => ruleWith(fields as Partial<ApprovalRule>)).toThrow(field);
  });
});

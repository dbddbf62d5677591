import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseApprovalsPolicy, SEPARATION_MODES } from '../../../functions/approvals/domain/approvals-policy';
import type { ChangeParties } from '../../../functions/approvals/domain/change-parties';
import {
  decideEligibility,
  decideSeparation,
} from '../../../functions/approvals/domain/separation-of-duties';

const local = fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/);
const email = fc
  .tuple(local, fc.constantFrom('example.com', 'corp.example'))
  .map(([name, domain]) => `${name}@${domain}`);
/** The same e-mail as another system may spell it. */
const respelled = (address: string, upper: boolean[]) =>
  Array.from(address, (char, index) => (upper[index % upper.length] ? char.toUpperCase() : char)).join('');

const parties = fc.record({
  authors: fc.array(
    fc.record({
      commitId: fc.stringMatching(/^[0-9a-f]{40}$/),
      email: fc.option(email, { nil: undefined }),
    }),
    { maxLength: 4 },
  ),
  starterEmail: fc.option(email, { nil: undefined }),
});

interface Drawn {
  authors: { commitId: string; email?: string | undefined }[];
  starterEmail?: string | undefined;
}

const toParties = ({ authors, starterEmail }: Drawn): ChangeParties => ({
  authors: authors.map(({ commitId, email: address }) =>
    address ? { commitId, email: address } : { commitId, unknownBecause: 'not found' },
  ),
  ...(starterEmail
    ? {
        starter: {
          principal: `arn:aws:sts::111122223333:assumed-role/Deployer/${starterEmail}`,
          name: starterEmail,
        },
      }
    : {}),
});

const ruleOf = (mode: (typeof SEPARATION_MODES)[number], onUnknownAuthor: 'allow' | 'refuse') => {
  const [rule] = parseApprovalsPolicy(
    JSON.stringify({
      rules: [
        {
          pipeline: '*',
          channel: 'C0X',
          approvers: { users: ['U0A'] },
          separationOfDuties: mode,
          onUnknownAuthor,
        },
      ],
    }),
  ).rules;
  if (!rule) throw new Error('no rule');
  return rule;
};

describe('separation of duties (properties)', () => {
  it('never lets an excluded person approve, however their e-mail is spelled, and refuses others only for an unknown author under "refuse"', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEPARATION_MODES),
        fc.constantFrom('allow' as const, 'refuse' as const),
        parties,
        email,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        (mode, onUnknownAuthor, drawn, outsider, upper) => {
          const separation = decideSeparation(ruleOf(mode, onUnknownAuthor), toParties(drawn));
          const eligible = (address: string) =>
            decideEligibility(separation, { userId: 'U0CLICKER', email: respelled(address, upper) }).eligible;
          const authors = mode === 'author' || mode === 'author-or-starter';
          const starters = mode === 'starter' || mode === 'author-or-starter';
          const excluded = [
            ...(authors ? drawn.authors.flatMap((a) => (a.email ? [a.email] : [])) : []),
            ...(starters && drawn.starterEmail ? [drawn.starterEmail] : []),
          ];
          for (const address of excluded) expect(eligible(address)).toBe(false);
          if (mode === 'none') expect(eligible(drawn.authors[0]?.email ?? outsider)).toBe(true);
          const unknown =
            authors && (drawn.authors.length === 0 || drawn.authors.some((a) => a.email === undefined));
          if (!excluded.includes(outsider)) {
            expect(eligible(outsider)).toBe(!(unknown && onUnknownAuthor === 'refuse'));
          }
        },
      ),
    );
  });
});

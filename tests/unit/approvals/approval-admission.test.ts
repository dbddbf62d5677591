import { describe, expect, it } from 'vitest';
import { admitApprovalAccount } from '../../../functions/approvals/domain/approval-admission';

const HUB = '111111111111';
const SPOKE = '222222222222';
const STRANGER = '999999999999';
const listed = { hubAccount: HUB, spokeAccounts: [SPOKE] };
const organisation = { hubAccount: HUB, spokeAccounts: [], organizationId: 'o-abcdefghij' };

describe('admitApprovalAccount', () => {
  it.each([
    ['the hub', HUB, listed],
    ['a listed spoke', SPOKE, listed],
    ['a notification whose topic names no account', undefined, listed],
    ['the hub, with an organisation', HUB, organisation],
    ['a listed spoke, with an organisation too', SPOKE, { ...listed, organizationId: 'o-abcdefghij' }],
    [
      'any account with no spokes at all (no foreign topic may invoke)',
      STRANGER,
      { hubAccount: HUB, spokeAccounts: [] },
    ],
  ])('admits %s', (_case, account, admission) => {
    expect(admitApprovalAccount(account, admission)).toEqual({ kind: 'admitted' });
  });

  it('refuses any other account when spokes are listed and there is no organisation, naming it', () => {
    expect(admitApprovalAccount(STRANGER, listed)).toEqual({
      kind: 'refused',
      reason: "account 999999999999 is neither the hub's nor a spoke listed in SpokeAccountIds",
    });
  });

  it("admits an organisation's unlisted account only once the approval is confirmed pending there", () => {
    expect(admitApprovalAccount(STRANGER, organisation)).toEqual({ kind: 'confirm-pending' });
    expect(admitApprovalAccount(STRANGER, { ...organisation, spokeAccounts: [SPOKE] })).toEqual({
      kind: 'confirm-pending',
    });
  });
});

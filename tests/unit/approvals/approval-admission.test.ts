import { describe, expect, it } from 'vitest';
import { refuseApprovalAccount } from '../../../functions/approvals/domain/approval-admission';

const listed = { hubAccount: '111111111111', spokeAccounts: ['222222222222'] };

describe('refuseApprovalAccount', () => {
  it.each([
    ['the hub', '111111111111'],
    ['a listed spoke', '222222222222'],
    ['a notification whose topic names no account', undefined],
  ])('admits %s', (_case, account) => {
    expect(refuseApprovalAccount(account, listed)).toBeUndefined();
  });

  it('refuses any other account when spokes are listed, naming it', () => {
    expect(refuseApprovalAccount('999999999999', listed)).toBe(
      "account 999999999999 is neither the hub's nor a spoke listed in SpokeAccountIds",
    );
  });

  it('refuses nobody with no spokes listed (no foreign topic may invoke) or with an organisation (not checkable here)', () => {
    expect(
      refuseApprovalAccount('999999999999', { hubAccount: '111111111111', spokeAccounts: [] }),
    ).toBeUndefined();
    expect(
      refuseApprovalAccount('999999999999', { ...listed, organizationId: 'o-abcdefghij' }),
    ).toBeUndefined();
  });
});

/**
 * Which accounts' approval notifications the hub accepts. The hub's Lambda permission admits a spoke topic by
 * name from any account (a permission names one source account at most), so the function itself decides:
 * otherwise a stranger's topic of that name could post approval requests into the team's Slack.
 */
export interface ApprovalAdmission {
  hubAccount?: string;
  /** The template's SpokeAccountIds. */
  spokeAccounts: readonly string[];
  /**
   * The template's OrganizationId. Membership is not listed anywhere the hub can read (that needs the
   * organisation's management account), so an unlisted account is admitted only once the approval is confirmed
   * pending in it: through its spoke role, which the hub may assume in the organisation's accounts only.
   */
  organizationId?: string;
}

export type AccountAdmission =
  | { kind: 'admitted' }
  /** Admitted if the approval is waiting, with this token, in the account itself (read through its spoke role). */
  | { kind: 'confirm-pending' }
  | { kind: 'refused'; reason: string };

const ADMITTED: AccountAdmission = { kind: 'admitted' };

/** Whether a notification from `account` is admitted, refused, or admitted once confirmed in that account. */
export function admitApprovalAccount(
  account: string | undefined,
  admission: ApprovalAdmission,
): AccountAdmission {
  // The hub's own topic, which names the hub's account (or, in tests and local mode, none).
  if (account === undefined || account === admission.hubAccount) return ADMITTED;
  if (admission.spokeAccounts.includes(account)) return ADMITTED;
  if (admission.organizationId) return { kind: 'confirm-pending' };
  // No spokes at all: the template grants no foreign topic the right to invoke, so the hub's is the only one.
  if (admission.spokeAccounts.length === 0) return ADMITTED;
  return {
    kind: 'refused',
    reason: `account ${account} is neither the hub's nor a spoke listed in SpokeAccountIds`,
  };
}

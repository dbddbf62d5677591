/**
 * Which accounts' approval notifications the hub accepts. The hub's Lambda permission admits a spoke topic by
 * name from any account (a permission names one source account at most), so with spokes listed in
 * SpokeAccountIds the function itself refuses a notification from any other account: otherwise a stranger's
 * topic of that name could post approval requests into the team's Slack.
 */
export interface ApprovalAdmission {
  hubAccount?: string;
  /** The template's SpokeAccountIds. */
  spokeAccounts: readonly string[];
  /**
   * The template's OrganizationId. Membership cannot be checked from here (that needs the organisation's
   * management account), so with an organisation no account is refused here; acting in an account still needs
   * the spoke role, which the hub may assume only in the organisation's accounts.
   */
  organizationId?: string;
}

/** Why a notification from `account` is refused, or undefined when it is admitted. */
export function refuseApprovalAccount(
  account: string | undefined,
  admission: ApprovalAdmission,
): string | undefined {
  // No spokes listed: only the hub's own topic can invoke the function (the template grants spokes nothing).
  if (admission.organizationId || admission.spokeAccounts.length === 0) return undefined;
  if (account === undefined || account === admission.hubAccount) return undefined;
  if (admission.spokeAccounts.includes(account)) return undefined;
  return `account ${account} is neither the hub's nor a spoke listed in SpokeAccountIds`;
}

import type { ApprovalRecord } from '#approvals/domain/approval-record';
import { type ApprovalsPolicy, findApprovalRule, mayApprove } from '#approvals/domain/approvals-policy';
import type { SlackApi } from '#approvals/ports';

/** Users named in the rule need no lookup; otherwise the rule's groups are resolved (usergroups:read). */
export async function isApprover(
  policy: ApprovalsPolicy,
  slack: SlackApi,
  record: Pick<ApprovalRecord, 'pipeline' | 'stage' | 'region' | 'account'>,
  userId: string,
): Promise<boolean> {
  const place = { account: record.account, region: record.region };
  const rule = findApprovalRule(policy, record.pipeline, record.stage, place);
  if (!rule) return false;
  if (rule.approvers.users.includes(userId)) return true;
  const members = await Promise.all(rule.approvers.groups.map((group) => slack.userGroupMembers(group)));
  const memberOf = rule.approvers.groups.filter((_group, index) => members[index]?.includes(userId));
  return mayApprove(policy, userId, memberOf, record.pipeline, record.stage, place);
}

/**
 * Parameter values local mode uses where the template's default would leave a feature unable to start,
 * because in an account the feature is off until you configure it (Slack approvals need a policy). Any
 * value can be overridden with the environment variable PARAM_<ParameterName>.
 */
export const LOCAL_PARAMETER_DEFAULTS: Record<string, string> = {
  ApprovalsPolicy: JSON.stringify({
    rules: [{ pipeline: '*', channel: 'C0LOCAL0001', approvers: { users: ['U0LOCAL001', 'U0LOCAL002'] } }],
  }),
  // Rollback announcements reach the local Slack sink too (GET /local/slack).
  RollbackSlackChannel: 'C0LOCAL0002',
};

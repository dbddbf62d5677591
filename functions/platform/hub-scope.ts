/**
 * The hub's own account and region. One variable names the account, `HUB_ACCOUNT_ID` (the template sets it to
 * `AWS::AccountId`): records without an account (and every key written before account and region were part of
 * an identity) are the hub's, and calls for it sign with the function's own role instead of assuming a spoke role.
 */
export interface HubScope {
  account: string;
  region: string;
}

/** Only for tools and tests that set nothing: no real account has this id. */
const UNSET_ACCOUNT = '000000000000';

/** The hub's account, when the environment names it. */
export function hubAccountFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.HUB_ACCOUNT_ID || undefined;
}

/** The hub's account and region (the function's own region). */
export function hubScopeFromEnvironment(env: NodeJS.ProcessEnv = process.env): HubScope {
  return {
    account: hubAccountFromEnvironment(env) ?? UNSET_ACCOUNT,
    region: env.AWS_REGION ?? 'us-east-1',
  };
}

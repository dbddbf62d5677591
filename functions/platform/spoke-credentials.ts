import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { SpokeRoleUnavailableError } from './spoke-role-unavailable-error';

/** How the hub reaches accounts other than its own. */
export interface AccountAccess {
  /** The function's own account: calls there (and calls with no account) use the function's own role. */
  ownAccount?: string;
  /** The role every spoke holds for the hub (`ControlPlaneRole`'s name); without it, other accounts are refused. */
  spokeRoleName?: string;
  /** Where STS answers (tests point it at a loopback stand-in); the SDK's default endpoint otherwise. */
  stsEndpoint?: string;
  /** Session names show in the spoke's CloudTrail as `assumed-role/<role>/<session>`. */
  sessionName?: string;
}

// Fresh credentials are fetched this long before the old ones expire, so no call is signed with credentials that
// expire in flight (the SDK's own credential memoisation uses the same five minutes).
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export type CredentialsForAccount = (account: string) => AwsCredentialIdentityProvider;

/**
 * One provider per account, shared by every client that calls that account: one AssumeRole per account until the
 * credentials near expiry, however many clients (reads, acts, services) use them. A failed AssumeRole is not cached:
 * the next call tries again (a spoke stack may be deployed in between).
 */
export function spokeCredentials(access: AccountAccess): CredentialsForAccount {
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  return (account) => {
    let provider = providers.get(account);
    if (!provider) {
      provider = cachedUntilNearExpiry(assumeSpokeRole(access, account));
      providers.set(account, provider);
    }
    return provider;
  };
}

function assumeSpokeRole(access: AccountAccess, account: string): AwsCredentialIdentityProvider {
  const { spokeRoleName } = access;
  if (!spokeRoleName) {
    return () =>
      Promise.reject(
        new SpokeRoleUnavailableError(account, undefined, 'no spoke role is configured (SPOKE_ROLE_NAME)'),
      );
  }
  const roleArn = `arn:aws:iam::${account}:role/${spokeRoleName}`;
  const assume = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: access.sessionName ?? 'pipeline-control-plane' },
    // STS's regional endpoint of the function's own region (the SDK default), or the stand-in's.
    ...(access.stsEndpoint ? { clientConfig: { endpoint: access.stsEndpoint } } : {}),
  });
  return async () => {
    try {
      return await assume();
    } catch (error) {
      const { name, message } = error as Error;
      throw new SpokeRoleUnavailableError(account, roleArn, `${name}: ${message}`, { cause: error });
    }
  };
}

function cachedUntilNearExpiry(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let current: AwsCredentialIdentity | undefined;
  return async () => {
    if (current && !nearExpiry(current)) return current;
    pending ??= provider().finally(() => {
      pending = undefined;
    });
    current = await pending;
    return current;
  };
}

const nearExpiry = (credentials: AwsCredentialIdentity) =>
  credentials.expiration !== undefined &&
  credentials.expiration.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS;

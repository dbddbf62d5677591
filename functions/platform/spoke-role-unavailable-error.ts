/**
 * The hub could not act as itself in another account: no spoke role is configured, or AssumeRole into it was
 * refused (the role is missing, or does not trust this function's role). Marked as a client fault so a caller that
 * acts records it as a refusal (nothing happened in that account, and a retry will not change it) and announces it.
 */
export class SpokeRoleUnavailableError extends Error {
  override name = 'SpokeRoleUnavailableError';
  readonly $fault = 'client';

  constructor(
    readonly account: string,
    readonly roleArn: string | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      roleArn
        ? `Cannot act in account ${account}: AssumeRole into ${roleArn} failed (${reason}). Deploy the spoke stack there, or check that its ControlPlaneRole trusts this hub.`
        : `Cannot act in account ${account}: ${reason}.`,
      options,
    );
  }
}

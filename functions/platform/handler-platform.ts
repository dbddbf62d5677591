import {
  type AwsClientFactory,
  accountAccessFromEnvironment,
  createAwsClientFactory,
} from '#platform/aws-clients';

/**
 * What a handler's composition root is given: in AWS the real factory; local mode and tests pass their own
 * (outbox, fault injection, a local engine), the same way.
 */
export interface HandlerPlatform {
  clients: AwsClientFactory;
}

export function awsPlatform(): HandlerPlatform {
  return { clients: createAwsClientFactory({ accounts: accountAccessFromEnvironment() }) };
}

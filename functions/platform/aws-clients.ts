import { hubAccountFromEnvironment } from './hub-scope';
import { type AccountAccess, spokeCredentials } from './spoke-credentials';

/**
 * AWS SDK clients come from a factory that the composition root (a handler module, local mode, a test)
 * creates and injects; nothing else builds a client. One client per service class, scope and configuration
 * per factory, created on first use, so a container pays for the clients it really calls.
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific configs.
export type ClientClass<T> = new (config: any) => T;

/**
 * Where a call goes. Absent fields mean the function's own account and region. A client for another account signs
 * with credentials from AssumeRole into that account's spoke role, never with the function's own: an act meant for a
 * spoke must fail there rather than land on a same-named resource in the hub.
 */
export interface ClientScope {
  account?: string;
  region?: string;
}

export interface ClientRequest extends ClientScope {
  /** Plain JSON data replacing parts of the default configuration (attempts, timeouts). */
  overrides?: object;
}

export interface AwsClientFactory {
  client<T extends object>(ClientCtor: ClientClass<T>, request?: ClientRequest): T;
}

export interface AwsClientFactoryOptions {
  /**
   * Called once for every client the factory creates, with the service name (`CodeDeploy`, `DynamoDB`…):
   * local mode routes outbound calls to its outbox and injects faults here.
   */
  decorate?: (client: object, service: string, scope: ClientScope) => void;
  /**
   * Which account is the function's own and how other accounts are reached. Without it every scope signs with the
   * default credentials (tests and local tools, which never reach a real account).
   */
  accounts?: AccountAccess;
}

// Adaptive retry backs off client-side when AWS throttles, so a burst of events does not become a storm.
const DEFAULT_CONFIG = { maxAttempts: 5, retryMode: 'adaptive' } as const;

/**
 * For calls that act (stop a deployment, roll a stage back, redeploy): an SDK retry of an attempt whose
 * response was lost could act twice, so the caller records the error instead.
 */
export const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;

export function createAwsClientFactory(options: AwsClientFactoryOptions = {}): AwsClientFactory {
  const clients = new Map<string, object>();
  const classIds = new Map<ClientClass<object>, number>();
  const { accounts } = options;
  const credentialsFor = accounts ? spokeCredentials(accounts) : undefined;
  const isOtherAccount = (account: string | undefined): account is string =>
    account !== undefined && account !== accounts?.ownAccount;
  return {
    client<T extends object>(ClientCtor: ClientClass<T>, request: ClientRequest = {}): T {
      const { overrides, ...scope } = request;
      let classId = classIds.get(ClientCtor);
      if (classId === undefined) {
        classId = classIds.size;
        classIds.set(ClientCtor, classId);
      }
      const key = JSON.stringify([classId, scope.account ?? '', scope.region ?? '', overrides ?? {}]);
      let client = clients.get(key) as T | undefined;
      if (!client) {
        client = new ClientCtor({
          ...DEFAULT_CONFIG,
          ...(scope.region ? { region: scope.region } : {}),
          ...(credentialsFor && isOtherAccount(scope.account)
            ? { credentials: credentialsFor(scope.account) }
            : {}),
          ...overrides,
        });
        options.decorate?.(client, serviceName(ClientCtor), scope);
        clients.set(key, client);
      }
      return client;
    },
  };
}

/** The factory a Lambda function uses: its own account is the hub's (HUB_ACCOUNT_ID), spokes through SPOKE_ROLE_NAME. */
export function accountAccessFromEnvironment(env: NodeJS.ProcessEnv = process.env): AccountAccess {
  return {
    ownAccount: hubAccountFromEnvironment(env),
    spokeRoleName: env.SPOKE_ROLE_NAME || undefined,
    sessionName: env.AWS_LAMBDA_FUNCTION_NAME?.slice(0, 64) || undefined,
  };
}

/** `CodeDeployClient` → `CodeDeploy`: the service name the SDK, local mode and fault rules share. */
export function serviceName(ClientCtor: ClientClass<object>): string {
  return ClientCtor.name.replace(/Client$/, '');
}

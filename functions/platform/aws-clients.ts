/**
 * One AWS SDK client per class (and per configuration override) per container, created on first use.
 *
 * Handlers ask for clients lazily (inside their dependency factory), so tests and the local control plane
 * can register a configurator before the first invocation: local mode uses it to send outbound calls to
 * its outbox, tests use aws-sdk-client-mock, which patches `send` on every instance anyway.
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific configs.
type ClientClass<T> = new (config: any) => T;
type ClientConfigurator = (client: object, ClientCtor: ClientClass<object>) => void;

const clients = new Map<ClientClass<object>, Map<string, object>>();
let configurator: ClientConfigurator | undefined;

// Adaptive retry backs off client-side when AWS throttles, so a burst of events does not become a storm.
const defaultConfig = { maxAttempts: 5, retryMode: 'adaptive' } as const;

/**
 * For calls that act (stop a deployment, roll a stage back, redeploy): an SDK retry of an attempt whose
 * response was lost could act twice, so the caller records the error instead.
 */
export const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;

/**
 * The shared client of `ClientCtor`. `overrides` (plain JSON data) replace parts of the default config for
 * calls that must finish within a deadline; each distinct override gets its own client, since one process
 * (local mode) runs functions that want different budgets from the same client class.
 */
export function awsClient<T extends object>(ClientCtor: ClientClass<T>, overrides?: object): T {
  let byConfig = clients.get(ClientCtor);
  if (!byConfig) {
    byConfig = new Map();
    clients.set(ClientCtor, byConfig);
  }
  const configKey = JSON.stringify(overrides ?? {});
  let client = byConfig.get(configKey) as T | undefined;
  if (!client) {
    client = new ClientCtor({ ...defaultConfig, ...overrides });
    configurator?.(client, ClientCtor);
    byConfig.set(configKey, client);
  }
  return client;
}

/** Applies `configure` to every client created from now on (and forgets clients created before). */
export function configureAwsClients(configure: ClientConfigurator | undefined): void {
  configurator = configure;
  clients.clear();
}

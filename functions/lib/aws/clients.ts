/**
 * One AWS SDK client per class per container, created on first use.
 *
 * Handlers ask for clients lazily (inside their dependency factory), so tests and the local control plane
 * can register a configurator before the first invocation: local mode uses it to send outbound calls to
 * its outbox, tests use aws-sdk-client-mock, which patches `send` on every instance anyway.
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific configs.
type ClientClass<T> = new (config: any) => T;
type ClientConfigurator = (client: object, ClientCtor: ClientClass<object>) => void;

const clients = new Map<ClientClass<object>, Map<Attempts, object>>();
let configurator: ClientConfigurator | undefined;

/**
 * `retried`: adaptive retry backs off client-side when AWS throttles, so a burst of events does not become a
 * storm. `once`: for calls that act (stop a deployment, roll a stage back, redeploy), where a retry of an
 * attempt whose response was lost could act twice; the caller records the error instead.
 */
export type Attempts = 'retried' | 'once';
const CONFIG: Record<Attempts, object> = {
  retried: { maxAttempts: 5, retryMode: 'adaptive' },
  once: { maxAttempts: 1 },
};

export function awsClient<T extends object>(ClientCtor: ClientClass<T>, attempts: Attempts = 'retried'): T {
  let byAttempts = clients.get(ClientCtor);
  if (!byAttempts) {
    byAttempts = new Map();
    clients.set(ClientCtor, byAttempts);
  }
  let client = byAttempts.get(attempts) as T | undefined;
  if (!client) {
    client = new ClientCtor(CONFIG[attempts]);
    configurator?.(client, ClientCtor);
    byAttempts.set(attempts, client);
  }
  return client;
}

/** Applies `configure` to every client created from now on (and forgets clients created before). */
export function configureAwsClients(configure: ClientConfigurator | undefined): void {
  configurator = configure;
  clients.clear();
}

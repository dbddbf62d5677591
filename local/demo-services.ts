/**
 * Stand-ins for the services the demo's pipelines deploy, served by the local control plane at
 * GET /demo/<service>/health, so the demo's smoke tests have something real to call: checkout-service is
 * healthy, payments-api answers 503 (its 5xx alarm is what the demo's rollback acts on).
 */
const DEMO_SERVICES: Record<string, { status: number; body: Record<string, unknown> }> = {
  'checkout-service': { status: 200, body: { status: 'ok', service: 'checkout-service' } },
  'payments-api': {
    status: 503,
    body: { status: 'unavailable', service: 'payments-api', reason: 'ledger batch writes failing' },
  },
};

export const demoServiceHealthPath = (service: string) => `/demo/${service}/health`;

/** The stand-in's answer for a path, or undefined when the path is no demo service's. */
export function demoServiceAnswer(
  path: string,
): { status: number; body: Record<string, unknown> } | undefined {
  const service = /^\/demo\/([^/]+)\/health$/.exec(path)?.[1];
  return service !== undefined && Object.hasOwn(DEMO_SERVICES, service) ? DEMO_SERVICES[service] : undefined;
}

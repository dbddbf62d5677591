import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { describeIssues } from '../functions/platform/errors';
import { currentInvocation, LocalFunctionCrash } from './invocation-scope';

/**
 * Local mode's fault injection (`POST /local/faults`): the faults Lambda and EventBridge really produce, on
 * the calls the functions really make, so "what does my control plane do when DynamoDB throttles?" has an
 * answer you can rehearse. docs/local-mode.md "Fault injection" documents the contract.
 */
export const FAULT_KINDS = ['throttle', 'lost-response', 'timeout', 'crash-after'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const SERVICES = [
  '*',
  'dynamodb',
  'codedeploy',
  'codepipeline',
  'codebuild',
  'sns',
  'slack',
  'cloudwatch',
  'secretsmanager',
  'lambda',
  'sts',
] as const;

const faultRule = z.strictObject({
  service: z.enum(SERVICES),
  operation: z._default(z.string().check(z.minLength(1), z.maxLength(100)), '*'),
  fault: z.enum(FAULT_KINDS),
  /** The first matching call (1-based, counted from when the rule is installed) that fails. */
  nth: z._default(z.int().check(z.gte(1), z.lte(1_000_000)), 1),
  /** How many consecutive matching calls fail from there. */
  times: z._default(z.int().check(z.gte(1), z.lte(1_000_000)), 1),
});
const faultRules = z.strictObject({ rules: z.array(faultRule).check(z.maxLength(100)) });

export type FaultRule = z.infer<typeof faultRule>;

export interface InstalledFaultRule extends FaultRule {
  /** Matching calls seen since the rule was installed. */
  matched: number;
  /** Faults injected by this rule. */
  fired: number;
}

export class FaultRulesError extends Error {
  override name = 'FaultRulesError';
}

/** How long a `timeout` fault holds the call before failing it (a compressed client timeout). */
const TIMEOUT_DELAY_MS = 25;

export function createFaultInjector() {
  let rules: InstalledFaultRule[] = [];

  /** Counts the call against every matching rule; the first rule whose window holds it decides the fault. */
  function faultFor(service: string, operation: string): FaultKind | undefined {
    let fault: FaultKind | undefined;
    for (const rule of rules) {
      if (rule.service !== '*' && rule.service !== service) continue;
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      rule.matched += 1;
      if (!fault && rule.matched >= rule.nth && rule.matched < rule.nth + rule.times) {
        rule.fired += 1;
        fault = rule.fault;
      }
    }
    return fault;
  }

  return {
    /** Replaces the rules (POST /local/faults); throws FaultRulesError naming the bad field. */
    install(body: unknown): InstalledFaultRule[] {
      const parsed = faultRules.safeParse(body);
      if (!parsed.success) throw new FaultRulesError(describeIssues(parsed.error.issues));
      rules = parsed.data.rules.map((rule) => ({ ...rule, matched: 0, fired: 0 }));
      return rules;
    },
    list: (): InstalledFaultRule[] => rules,
    clear(): void {
      rules = [];
    },
    faultFor,
    /**
     * SDK middleware placed inside the SDK's retry loop (after `retryMiddleware`), so the client's own
     * retries see the fault as they would see AWS's: a throttle or a lost response is retried by a
     * retrying client and not by a single-attempt one.
     */
    decorate(client: { middlewareStack: { addRelativeTo: (...args: never[]) => void } }, service: string) {
      const serviceKey = service.toLowerCase();
      const middleware =
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          const invocation = currentInvocation();
          if (invocation?.crashed) throw new LocalFunctionCrash('the invocation already crashed');
          const fault = faultFor(serviceKey, operation);
          if (!fault) return next(args);
          return injectSdkFault(fault, serviceKey, operation, () => next(args));
        };
      (client.middlewareStack.addRelativeTo as (...args: unknown[]) => void)(middleware, {
        relation: 'after',
        toMiddleware: 'retryMiddleware',
        name: LOCAL_FAULTS_MIDDLEWARE,
      });
    },
  };
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;

/** The name later local middleware (the outbox) positions itself after. */
export const LOCAL_FAULTS_MIDDLEWARE = 'localFaultInjection';

async function injectSdkFault(
  fault: FaultKind,
  service: string,
  operation: string,
  send: () => Promise<unknown>,
): Promise<unknown> {
  switch (fault) {
    case 'throttle':
      throw throttlingError(service, operation);
    case 'timeout':
      // Not applied: the request never reached the service, and the client gave up waiting.
      await sleep(TIMEOUT_DELAY_MS);
      throw networkError('TimeoutError', `${operation}: injected timeout (not applied)`);
    case 'lost-response':
      // Applied, then the answer is lost on the way back: the caller cannot tell it from a timeout.
      await send();
      throw networkError('TimeoutError', `${operation}: injected lost response (the call was applied)`);
    case 'crash-after':
      await send();
      markCrashed();
      throw new LocalFunctionCrash(`${operation}: injected crash right after the call returned`);
  }
}

/** Marks the calling invocation as dead: whatever its code does next, the invocation fails. */
export function markCrashed(): void {
  const invocation = currentInvocation();
  if (invocation) invocation.crashed = true;
}

function throttlingError(service: string, operation: string): Error {
  // The names the SDK's retry strategy classifies as throttling, per service.
  const name = service === 'dynamodb' ? 'ProvisionedThroughputExceededException' : 'ThrottlingException';
  return Object.assign(new Error(`${operation}: injected throttle (Rate exceeded)`), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    $retryable: { throttling: true },
  });
}

function networkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, code: 'ETIMEDOUT', $metadata: {} });
}

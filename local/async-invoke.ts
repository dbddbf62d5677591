import type { LocalFunction } from './local-functions';
import type { Outbox } from './outbox';

/** Lambda retries a failed asynchronous invocation twice (after about 1 and 2 minutes; here sooner). */
const RETRIES = 2;
const RETRY_DELAY_MS = 200;

/**
 * Lambda's asynchronous invoke (`Invoke` with InvocationType Event) in local mode: the call is recorded in
 * the outbox and answered 202 at once, like Lambda's queue; the function then runs after the caller got its
 * answer, and a run that throws is retried twice. `idle()` resolves once every queued run has finished,
 * retries included.
 */
export function installAsyncInvoke(
  outbox: Outbox,
  functionNamed: (name: string) => LocalFunction | undefined,
  log: (line: string) => void = () => undefined,
) {
  const running = new Set<Promise<void>>();
  outbox.respond('Invoke', (input) => {
    if (input.InvocationType !== 'Event') {
      throw Object.assign(new Error('Local mode runs only asynchronous invokes (InvocationType Event)'), {
        name: 'InvalidParameterValueException',
      });
    }
    const name = String(input.FunctionName).replace(/^arn:.*:function:/, '');
    const fn = functionNamed(name);
    if (!fn) {
      throw Object.assign(new Error(`Function not found: ${name}`), { name: 'ResourceNotFoundException' });
    }
    const event: unknown = JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8') || 'null');
    const run = runWithRetries(fn, event, log).finally(() => running.delete(run));
    running.add(run);
    return { StatusCode: 202 };
  });
  return {
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

async function runWithRetries(fn: LocalFunction, event: unknown, log: (line: string) => void) {
  // After the caller's answer, as Lambda's queue does: never inside the caller's own request.
  await new Promise((resolve) => setImmediate(resolve));
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    try {
      await fn.invoke(event);
      return;
    } catch (error) {
      log(`async ${fn.logicalId} attempt ${attempt + 1} failed: ${(error as Error).message}`);
      if (attempt < RETRIES) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

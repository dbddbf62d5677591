import { type DeadLetterQueue, invokeAsync } from './async-invoke';
import type { LocalFunction } from './local-functions';
import type { Outbox } from './outbox';

/**
 * A function's own asynchronous invoke of another (`Invoke` with InvocationType Event) in local mode: the
 * call is recorded in the outbox and answered 202 at once, like Lambda's queue; the target then runs after
 * the caller got its answer, retried and dead-lettered as any asynchronous invocation (invokeAsync).
 * `idle()` resolves once every queued run has finished, retries included.
 */
export function installLambdaEventInvoke(
  outbox: Outbox,
  functionNamed: (name: string) => LocalFunction | undefined,
  deadLetters: DeadLetterQueue,
) {
  const running = new Set<Promise<unknown>>();
  outbox.respond('Invoke', (input) => {
    if (input.InvocationType !== 'Event') {
      throw Object.assign(new Error('Local mode runs only asynchronous invokes (InvocationType Event)'), {
        name: 'InvalidParameterValueException',
      });
    }
    // Locally a function's name is its logical id (createResolver); an ARN ends in it.
    const name = String(input.FunctionName).replace(/^arn:.*:function:/, '');
    const fn = functionNamed(name);
    if (!fn) {
      throw Object.assign(new Error(`Function not found: ${name}`), { name: 'ResourceNotFoundException' });
    }
    const payload = input.Payload instanceof Uint8Array ? Buffer.from(input.Payload).toString('utf8') : '';
    const event: unknown = payload ? JSON.parse(payload) : {};
    // After the caller's answer, as Lambda's queue does: never inside the caller's own request.
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(() => invokeAsync(fn, event, 'Lambda asynchronous invoke', deadLetters))
      .finally(() => running.delete(run));
    running.add(run);
    return { StatusCode: 202 };
  });
  return {
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One local function invocation, as far as fault injection needs to know it: a `crash-after` fault kills the
 * invocation that made the call, whatever the handler does with the error it sees.
 */
export interface InvocationScope {
  functionName: string;
  crashed: boolean;
}

const storage = new AsyncLocalStorage<InvocationScope>();
/** Invocations running now, newest last: a Slack sink request carries no async context of its caller. */
const running: InvocationScope[] = [];

/** A process that died: Lambda reports the invocation as failed and, for async invokes, retries it. */
export class LocalFunctionCrash extends Error {
  // Not a throttling, transient or server error, so the SDK's retry strategy leaves it alone: a dead
  // process retries nothing.
  override name = 'LocalFunctionCrash';
}

export async function runInvocation<T>(functionName: string, invoke: () => Promise<T>): Promise<T> {
  const scope: InvocationScope = { functionName, crashed: false };
  running.push(scope);
  try {
    const result = await storage.run(scope, invoke);
    if (scope.crashed) throw new LocalFunctionCrash(`${functionName} crashed (injected crash-after fault)`);
    return result;
  } catch (error) {
    if (scope.crashed && !(error instanceof LocalFunctionCrash)) {
      throw new LocalFunctionCrash(`${functionName} crashed (injected crash-after fault)`);
    }
    throw error;
  } finally {
    running.splice(running.indexOf(scope), 1);
  }
}

/** The invocation whose code is running (through async context), else the newest one still running. */
export function currentInvocation(): InvocationScope | undefined {
  return storage.getStore() ?? running.at(-1);
}

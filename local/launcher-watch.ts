import { execFileSync } from 'node:child_process';

/**
 * `npm start` runs npm → sh → tsx → this process. Killing npm alone (a closed terminal tab, an IDE's stop
 * button, `kill -9`) orphans the rest, and the server would keep its port. So the process remembers who
 * launched it and stops when any of them is gone. Read once with `ps` (Linux and macOS), then polled with
 * signal 0, which checks a process exists without touching it.
 */
export function stopWhenLauncherDies(stop: (reason: string) => void, intervalMs = 1000): void {
  const launchers = ancestors(process.pid);
  const timer = setInterval(() => {
    const gone = launchers.find((pid) => !isAlive(pid));
    if (gone === undefined) return;
    clearInterval(timer);
    stop(`launcher process ${gone} exited`);
  }, intervalMs);
  // Never the reason the process stays up.
  timer.unref();
}

function ancestors(pid: number): number[] {
  const chain: number[] = [];
  let current = pid;
  // Short in practice; the bound only guards against a `ps` that answers nonsense.
  for (let depth = 0; depth < 64; depth++) {
    const parent = parentOf(current);
    if (parent === undefined || parent <= 1) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

function parentOf(pid: number): number | undefined {
  if (pid === process.pid) return process.ppid;
  try {
    const parent = Number(
      execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim(),
    );
    return Number.isInteger(parent) ? parent : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { type ChildProcess, spawn } from 'node:child_process';

export interface NpmStart {
  url: string;
  output: () => string;
  /** SIGKILL the process group (cleanup). */
  stop: () => void;
  /** Ctrl-C: SIGINT to the whole foreground process group (npm and the control plane), then wait for exit. */
  interrupt: () => Promise<void>;
  /** SIGKILL npm alone, as a closed terminal tab or an IDE's stop button does: its children are orphaned. */
  killNpmOnly: () => void;
}

/** `npm start -- --port 0 --demo` as a newcomer runs it: a real process on a free port, driven over HTTP only. */
export async function npmStartDemo(): Promise<NpmStart> {
  const child: ChildProcess = spawn('npm', ['start', '--', '--port', '0', '--demo'], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: undefined },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () => {
    if (child.pid && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, 'SIGKILL');
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`npm start did not come up:\n${output}`));
    }, 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (found && output.includes('Ctrl-C to stop')) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  const interrupt = async () => {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.pid) process.kill(-child.pid, 'SIGINT');
    await exited;
  };
  const killNpmOnly = () => {
    if (child.pid) process.kill(child.pid, 'SIGKILL');
  };
  return { url, output: () => output, stop, interrupt, killNpmOnly };
}

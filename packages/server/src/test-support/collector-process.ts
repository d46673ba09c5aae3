import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/**
 * The collector as its own process (`src/main.ts serve`), as an operator runs it, so a test
 * can `kill -9` it. `port` 0 takes any free port; a restart passes the port it had. `env` adds
 * to the test's environment (secrets are read from there, never from argv).
 */
export function startCollector(args: string[], port = 0, env: Record<string, string> = {}): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--port', String(port), ...args], {
    cwd: pkg,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[\d.]+:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, port: Number(m[2]), output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)));
  });
}

/** Sends `signal` and resolves once the process is gone. */
export function stopCollector(c: CollectorProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => c.child.once('exit', () => r()));
  c.child.kill(signal);
  return exited;
}

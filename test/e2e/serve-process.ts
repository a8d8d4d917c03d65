// Starts `gpu-ferry serve` (the built CLI) as a child process and reads the address, token and
// simulated root it prints. Stops exactly that process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Served {
  url: string;
  origin: string;
  token: string;
  simulatedRoot: string | null;
  output: () => string;
  stop(): Promise<void>;
}

export const projectRoot = path.resolve(import.meta.dirname, '../..');

export const startServe = async (args: string[]): Promise<Served> => {
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, 'bin/gpu-ferry.cjs'), 'serve', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 120_000); // generous: CI is loaded
    const check = () => {
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    simulatedRoot: /Simulated root: (\S+)/.exec(out)?.[1] ?? null,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

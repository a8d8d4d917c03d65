// `npm start`: runs the desktop app with Electron where a binary exists. Where none could be obtained
// (no network at install time), it says so and offers browser mode: the same app served on a loopback
// address (`gpu-ferry serve`); without a terminal to ask in, it starts browser mode at once. Extra
// arguments go to the app (e.g. -- --host=spec.json).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const run = (program, argv) =>
  new Promise((resolve) => {
    const child = spawn(program, argv, { stdio: 'inherit', cwd: root });
    child.on('error', (error) => {
      console.error(`gpu-ferry: cannot run ${program}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const electron = findElectronBinary();
if (electron.path) {
  if (!existsSync(path.join(root, 'dist', 'main', 'main.cjs'))) {
    console.error('gpu-ferry: dist/main/main.cjs is missing; run `npm run build` first.');
    process.exit(1);
  }
  process.exit(await run(electron.path, [root, ...args]));
}

const cli = path.join(root, 'dist', 'cli', 'gpu-ferry.cjs');
console.error(
  [
    `No Electron binary: ${electron.reason}.`,
    'GPU Ferry can run in your browser instead (browser mode: the same app on a loopback address with a random token):',
    `  this machine:        node ${path.relative(process.cwd(), cli) || cli} serve`,
    '  a simulated machine: npm run demo',
    'To use Electron, install it where downloads work (npm ci), or point GPU_FERRY_ELECTRON at an Electron binary.',
  ].join('\n'),
);
if (!(process.stdin.isTTY && process.stdout.isTTY)) {
  // Nobody to ask (started from a desktop launcher, a script, an IDE): browser mode is the answer.
  console.error('No terminal to ask in: starting browser mode.');
  process.exit(await run(process.execPath, [cli, 'serve', ...args]));
}
const rl = createInterface({ input: process.stdin, output: process.stdout });
const answer = (await rl.question('Start browser mode now? [Y/n] ')).trim().toLowerCase();
rl.close();
if (answer === '' || answer === 'y' || answer === 'yes') process.exit(await run(process.execPath, [cli, 'serve', ...args]));
process.exit(2);

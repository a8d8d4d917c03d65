#!/usr/bin/env node
// stage-app.mjs DESTDIR [NODE]: GPU Ferry as the system tier puts it on the guest's root.
//   1. the package's files and modes: the project's own staging (build/stage-install.mjs DESTDIR: the
//      payload as electron-builder lays it out, then the package's after-install.sh into DESTDIR);
//   2. the CLI as `npm install -g` lays a checkout out: /opt/gpu-ferry-cli (bin, dist/cli, resources,
//      package.json) and a /usr/local/bin/gpu-ferry symlink to its bin;
//   3. Node (this machine's, or NODE) as the system's /usr/bin/node the package depends on.
// This is the one place that knows how the app is installed.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dest = path.resolve(process.argv[2] ?? '');
const nodeBinary = process.argv[3] ?? process.execPath;
if (!process.argv[2]) throw new Error('usage: stage-app.mjs DESTDIR [NODE_BINARY]');
rmSync(dest, { recursive: true, force: true });
mkdirSync(dest, { recursive: true });

// The package's files and modes: the project's own staging (it builds the CLI bundle, then lays out the
// payload and runs after-install.sh into DESTDIR).
execFileSync(process.execPath, [path.join(repo, 'build', 'stage-install.mjs'), dest], { stdio: 'inherit' });

const cli = path.join(dest, 'opt', 'gpu-ferry-cli');
const bundle = path.join(repo, 'dist', 'cli', 'gpu-ferry.cjs');
for (const part of ['bin', 'package.json', 'resources'])
  cpSync(path.join(repo, part), path.join(cli, part), { recursive: true });
mkdirSync(path.join(cli, 'dist', 'cli'), { recursive: true });
copyFileSync(bundle, path.join(cli, 'dist', 'cli', 'gpu-ferry.cjs'));
const bin = path.join(dest, 'usr', 'local', 'bin');
mkdirSync(bin, { recursive: true });
symlinkSync('/opt/gpu-ferry-cli/bin/gpu-ferry.cjs', path.join(bin, 'gpu-ferry'));
// The package depends on the system's Node.js at /usr/bin/node (the privileged launcher runs it); Debian
// 12's nodejs is 18 and the CLI needs 20.19, so this machine's Node plays that part in the guest.
mkdirSync(path.join(dest, 'usr', 'bin'), { recursive: true });
for (const target of [path.join(bin, 'node'), path.join(dest, 'usr', 'bin', 'node')]) {
  copyFileSync(nodeBinary, target);
  chmodSync(target, 0o755);
}

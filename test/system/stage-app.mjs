#!/usr/bin/env node
// stage-app.mjs DESTDIR: lays GPU Ferry out under DESTDIR the way the deb/rpm install it, plus the CLI
// from this checkout's build, for the system tier to copy onto the guest's root.
//   1. the package's resources: electron-builder's extraResources (read from its config, so a mapping
//      mistake there shows here) copied to DESTDIR/opt/GPU Ferry/resources;
//   2. the package's own after-install script with GPU_FERRY_DESTDIR=DESTDIR: the system files and modes;
//   3. the CLI as `npm install -g` lays a checkout out: /opt/gpu-ferry-cli (bin, dist/cli, resources,
//      package.json) and a /usr/local/bin/gpu-ferry symlink to its bin; Node at /usr/local/bin/node.
// This is the one place that knows how the app is installed: when the project has its own staging script
// for the packages, step 1 and 2 become a call to it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dest = path.resolve(process.argv[2] ?? '');
const nodeBinary = process.argv[3] ?? process.execPath;
if (!process.argv[2]) throw new Error('usage: stage-app.mjs DESTDIR [NODE_BINARY]');
rmSync(dest, { recursive: true, force: true });
mkdirSync(dest, { recursive: true });

const config = createRequire(import.meta.url)(path.join(repo, 'build', 'electron-builder.config.cjs'));
const resources = path.join(dest, 'opt', 'GPU Ferry', 'resources');
for (const { from, to } of config.extraResources) {
  const source = path.join(repo, from);
  if (!existsSync(source)) throw new Error(`extraResources names ${from}, which does not exist`);
  mkdirSync(path.dirname(path.join(resources, to)), { recursive: true });
  cpSync(source, path.join(resources, to), { recursive: true });
}
execFileSync('bash', [path.join(repo, 'build', 'linux', 'after-install.sh')], {
  env: { ...process.env, GPU_FERRY_DESTDIR: dest },
  stdio: 'inherit',
});

const cli = path.join(dest, 'opt', 'gpu-ferry-cli');
const bundle = path.join(repo, 'dist', 'cli', 'gpu-ferry.cjs');
if (!existsSync(bundle)) throw new Error('dist/cli/gpu-ferry.cjs is missing: run node build/build.mjs first');
for (const part of ['bin', 'package.json', 'resources'])
  cpSync(path.join(repo, part), path.join(cli, part), { recursive: true });
mkdirSync(path.join(cli, 'dist', 'cli'), { recursive: true });
copyFileSync(bundle, path.join(cli, 'dist', 'cli', 'gpu-ferry.cjs'));
const bin = path.join(dest, 'usr', 'local', 'bin');
mkdirSync(bin, { recursive: true });
symlinkSync('/opt/gpu-ferry-cli/bin/gpu-ferry.cjs', path.join(bin, 'gpu-ferry'));
copyFileSync(nodeBinary, path.join(bin, 'node'));
chmodSync(path.join(bin, 'node'), 0o755);

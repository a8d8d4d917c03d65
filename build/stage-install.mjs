// `node build/stage-install.mjs DESTDIR`: lays GPU Ferry out under DESTDIR the way the deb installs it,
// for system tests: the package payload at DESTDIR/opt/GPU Ferry (resources/ as electron-builder's
// extraResources put them), then the package's own after-install script (build/linux/after-install.sh)
// with GPU_FERRY_DESTDIR=DESTDIR, which installs every file of build/linux/system-files.txt with its mode
// and /usr/bin/gpu-ferry. Without an Electron build (out/packages/linux-unpacked), /opt/GPU Ferry/gpu-ferry
// is a stand-in that runs the CLI bundle with the system's Node.js. Builds the CLI and privileged bundles
// first. Run as root for root-owned files (as the package manager does).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = process.argv[2];
if (!dest || !path.isAbsolute(dest)) {
  console.error('usage: node build/stage-install.mjs DESTDIR   (an absolute directory)');
  process.exit(2);
}
const APP = 'opt/GPU Ferry';
const app = path.join(dest, APP);
const res = path.join(app, 'resources');

execFileSync(process.execPath, [path.join(repo, 'build/build.mjs'), '--cli-only'], { stdio: 'inherit' });

rmSync(app, { recursive: true, force: true });
const unpacked = path.join(repo, 'out/packages/linux-unpacked');
if (existsSync(path.join(unpacked, 'gpu-ferry'))) cpSync(unpacked, app, { recursive: true });
mkdirSync(res, { recursive: true });
// What electron-builder's extraResources put in resources/ (build/electron-builder.config.cjs).
for (const dir of ['helper', 'polkit', 'handoff', 'hooks']) cpSync(path.join(repo, 'resources', dir), path.join(res, dir), { recursive: true });
cpSync(path.join(repo, 'dist/privileged/gpu-ferry-privileged.cjs'), path.join(res, 'helper/gpu-ferry-privileged.cjs'));
mkdirSync(path.join(res, 'linux'), { recursive: true });
for (const file of ['io.github.gpuferry.GpuFerry.metainfo.xml', 'system-files.txt']) cpSync(path.join(repo, 'build/linux', file), path.join(res, 'linux', file));
if (!existsSync(path.join(app, 'gpu-ferry'))) {
  // Stand-in for the Electron binary: the CLI, which finds its privileged program in resources/helper/.
  cpSync(path.join(repo, 'dist/cli/gpu-ferry.cjs'), path.join(res, 'cli/gpu-ferry.cjs'));
  writeFileSync(path.join(app, 'gpu-ferry'), `#!/bin/sh\nexec /usr/bin/node '/${APP}/resources/cli/gpu-ferry.cjs' "$@"\n`);
  chmodSync(path.join(app, 'gpu-ferry'), 0o755);
}
execFileSync('bash', [path.join(repo, 'build/linux/after-install.sh'), 'configure'], { stdio: 'inherit', env: { ...process.env, GPU_FERRY_DESTDIR: dest } });
console.log(`GPU Ferry staged under ${dest} (files of build/linux/system-files.txt, /${APP}, /usr/bin/gpu-ferry)`);

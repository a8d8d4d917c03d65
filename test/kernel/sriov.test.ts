// The sriov-vfs goal on a real kernel: QEMU's NVMe controller offers SR-IOV virtual functions, and inside
// the guest, as root, GPU Ferry's privileged program (the launcher and bundle the packages install, on
// this machine's Node.js) applies the goal from a request the caller computed as the app does: two VFs,
// one bound to vfio-pci (its group viable through the VFIO ioctls), the boot rule written. While a process
// holds that VF's group open (as a VM's QEMU does; here a sleeping process), a request for no VFs and the
// undo are both refused, naming it, nothing changed; so is undoing a later entry that bound the second VF
// while that VF is held. Undo from root's journal then puts everything back.
// Then the rule it wrote runs under real udev (Debian's systemd-udevd): on the PF's driver bind and on a
// coldplug `add` it creates the VFs again.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSerial, type GuestRun } from './serial-results';

let run: GuestRun;
let serial = '';
let overlay = '';

beforeAll(() => {
  overlay = mkdtempSync(path.join(tmpdir(), 'gft-sriov-'));
  execFileSync('node', ['build/build.mjs', '--cli-only'], { stdio: 'ignore' });
  mkdirSync(path.join(overlay, 'sriov'));
  execFileSync('npx', ['esbuild', 'test/kernel/sriov-request.ts', '--bundle', '--platform=node', '--target=node18', '--format=cjs', `--outfile=${path.join(overlay, 'sriov/request.cjs')}`, '--log-level=warning']);
  execFileSync('bash', ['test/kernel/sriov-overlay.sh', overlay]);
  execFileSync('install', ['-m', '0755', 'test/kernel/sriov-guest-init.sh', path.join(overlay, 'init')]);
  const built = execFileSync('bash', ['test/kernel/build.sh', overlay], { encoding: 'utf8' });
  const kernel = /KERNEL=(.*)/.exec(built)?.[1] ?? '';
  const initrd = /INITRD=(.*)/.exec(built)?.[1] ?? '';
  const r = spawnSync('bash', ['test/kernel/sriov-boot.sh', kernel, initrd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  serial = `${r.stdout}${r.stderr}`;
  mkdirSync(path.join('test-results', 'kernel'), { recursive: true });
  writeFileSync(path.join('test-results', 'kernel', 'serial-sriov.log'), serial);
  run = parseSerial(r.stdout);
});

afterAll(() => rmSync(overlay, { recursive: true, force: true }));

const info = (): string => run.info.join('\n');
/** The privileged program's result events of one run in the guest (its GFT-INFO [LABEL] lines). */
const events = (label: string): string[] =>
  run.info
    .filter((l) => l.startsWith(`[${label}] {"type":"result"`))
    .map((l) => JSON.parse(l.slice(label.length + 3)) as { status: string; kind: string; detail: string })
    .map((r) => `${r.status} ${r.kind} ${r.detail}`);

describe('sriov-vfs applied by root on a real kernel (QEMU NVMe), undone, and its boot rule under udev', () => {
  it('booted, and the guest saw the PF offset and stride the planner computes VF addresses from', () => {
    expect(run.begin, 'no GFT-BEGIN: see test-results/kernel/serial-sriov.log').not.toBeNull();
    expect(run.end, 'no GFT-END: see test-results/kernel/serial-sriov.log').not.toBeNull();
    expect(info()).toMatch(/pf=0000:01:00.0 driver=nvme total=3 offset=1 stride=1/);
  });

  it('root computed the same plan the caller reviewed and applied its steps itself', () => {
    expect(info()).toMatch(/caller: planned: write-file sriov-numvfs module-load vfio-bind-vf/);
    expect(events('apply')).toEqual([
      'ok write-file /etc/udev/rules.d/70-gpu-ferry-sriov-0000-01-00-0.rules',
      'ok sriov-numvfs sriov_numvfs of 0000:01:00.0 0 → 2',
      'ok module-load modprobe -- vfio-pci',
      'ok vfio-bind-vf 0000:01:00.1 on vfio-pci',
    ]);
    // Undo: the file, then the binding released and the VFs removed, newest step first, from the journal.
    expect(events('undo')).toEqual([
      'ok restore removed /etc/udev/rules.d/70-gpu-ferry-sriov-0000-01-00-0.rules',
      'ok inverse 0000:01:00.1 back on no driver',
      'ok inverse sriov_numvfs of 0000:01:00.0 back to 0',
    ]);
  });

  it('a step failing after the VFs exist rolls them back from the journal', () => {
    expect(events('rollback')).toEqual([
      'ok write-file /etc/udev/rules.d/70-gpu-ferry-sriov-0000-01-00-0.rules',
      'ok sriov-numvfs sriov_numvfs of 0000:01:00.0 0 → 2',
      'ok restore removed /etc/udev/rules.d/70-gpu-ferry-sriov-0000-01-00-0.rules',
      'ok inverse sriov_numvfs of 0000:01:00.0 back to 0',
    ]);
    expect(info()).toMatch(/\[rollback\] \{"type":"error","code":"step-failed","step":2,"message":"step 2 failed; every file was put back, and the changes made on the running kernel were undone"/);
  });

  it.each([
    'changed-machine-refused',
    'failed-step-rolled-back',
    'applied',
    'vfs-created',
    'vf0-on-vfio-pci',
    'vf-own-groups',
    'vf0-group-viable',
    'boot-rule-written',
    'in-use-count0-refused',
    'in-use-undo-refused',
    'vf1-bound',
    'in-use-unbind-refused',
    'vf1-released',
    'undone',
    'vfs-removed',
    'everything-back',
    'applied-again',
    'no-vfs-before-udev',
    'udev-bind-creates-vfs',
    'no-vfs-before-coldplug',
    'udev-coldplug-creates-vfs',
    'undone-again',
    'everything-back-again',
  ])('%s', (name) => {
    const r = run.results.find((x) => x.name === name);
    expect(r, `${name} missing; results: ${JSON.stringify(run.results)}; see test-results/kernel/serial-sriov.log`).toBeDefined();
    expect(r?.pass, `${name}: ${r?.detail}`).toBe(true);
  });
});

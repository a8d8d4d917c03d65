// The bash runtime and hook against a fake tree (GPU_FERRY_ROOT): config parsing and refusals, VM
// name mapping shared with TypeScript, holders found through /proc/*/fd, release/rollback bookkeeping,
// the dispatcher guard. Kernel behaviour itself is tested on a real kernel (test/kernel/).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffConfigPath, renderHandoffConfig, type HandoffConfig } from '../../../shared/handoff/config';
import { handoffRuns, parseHandoffLog } from '../../../shared/handoff/timeline';
import { vmFileStem } from '../../../shared/vm/vm-name';

const RUNTIME = path.resolve('resources/handoff/gpu-ferry-handoff');
const HOOK = path.resolve('resources/hooks/gpu-ferry');
const VM = `Jeux "vidéo" $(x)`;
const GPU = '0000:0a:00.0';
let root = '';

const config = (over: Partial<HandoffConfig> = {}): HandoffConfig => ({
  vm: VM, mode: 'dual-gpu', devices: [GPU], modules: [], displayManager: null, session: 'wait', holders: 'refuse', timeoutStopSeconds: 1, timeoutDeviceSeconds: 1, ...over,
});
const put = (rel: string, content: string) => { const p = path.join(root, rel); mkdirSync(path.dirname(p), { recursive: true }); writeFileSync(p, content); };
const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', env: { PATH: process.env.PATH, GPU_FERRY_ROOT: root } });
const log = () => {
  const p = path.join(root, 'var/log/gpu-ferry', `${vmFileStem(VM)}.jsonl`);
  return existsSync(p) ? parseHandoffLog(readFileSync(p, 'utf8')) : { events: [], badLines: [] };
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gft-fake-'));
  put(`sys/bus/pci/devices/${GPU}/vendor`, '0x1002\n');
  put(`sys/bus/pci/devices/${GPU}/class`, '0x030000\n');
  put(`sys/bus/pci/devices/${GPU}/drm/card1/uevent`, '');
  put(`sys/bus/pci/devices/${GPU}/drm/renderD128/uevent`, '');
  put(`sys/bus/pci/drivers/amdgpu/${GPU}/uevent`, '');
  put(`sys/bus/pci/drivers/amdgpu/unbind`, '');
  put(handoffConfigPath(VM), renderHandoffConfig(config()));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('handoff runtime on a fake tree', () => {
  it('finds the config TypeScript named, even for a name with quotes, $() and non-ASCII', () => {
    const r = run(RUNTIME, 'release', VM);
    expect(r.status).toBe(0);
    const last = log().events.at(-1);
    expect(last).toMatchObject({ vm: VM, phase: 'release', step: 'release', status: 'skip' });
    expect(last?.message).toMatch(/nothing to release/);
  });

  it('exits 3 without touching anything for a VM that has no config; usage errors exit 2', () => {
    expect(run(RUNTIME, 'prepare', 'someone else').status).toBe(3);
    expect(existsSync(path.join(root, 'var/log/gpu-ferry'))).toBe(false);
    expect(run(RUNTIME, 'launch', VM).status).toBe(2);
    expect(run(RUNTIME, 'prepare', 'a\nb').status).toBe(2);
  });

  it.each([
    ['a command substitution', (t: string) => t.replace(`DEVICES=${GPU}`, `DEVICES=$(touch ${'PWNED'})`), /DEVICES must be PCI addresses/],
    ['an unknown key', (t: string) => `${t}LD_PRELOAD=/x.so\n`, /unknown key LD_PRELOAD/],
    ['a duplicate key', (t: string) => `${t}MODE=single-gpu\n`, /duplicate key MODE/],
    ['a wrong VM=', (t: string) => t.replace(/^VM=.*$/m, 'VM=other'), /does not match/],
    ['a module list with shell syntax', (t: string) => t.replace('MODULES=', 'MODULES=amdgpu;reboot'), /MODULES must be/],
  ])('refuses a config with %s: exit 2, logged, nothing done', (_what, edit, reason) => {
    const file = path.join(root, handoffConfigPath(VM));
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    const r = run(RUNTIME, 'prepare', VM);
    expect(r.status).toBe(2);
    expect(log().events.at(-1)).toMatchObject({ step: 'config', status: 'fail' });
    expect(log().events.at(-1)?.message).toMatch(reason);
    expect(existsSync(path.join(process.cwd(), 'PWNED'))).toBe(false);
    expect(existsSync(path.join(root, `sys/bus/pci/drivers/amdgpu/${GPU}`))).toBe(true);
  });

  it('refuses when a process holds the GPU, naming it, and leaves no state behind', () => {
    put('proc/4242/comm', 'steam\n');
    mkdirSync(path.join(root, 'proc/4242/fd'), { recursive: true });
    symlinkSync('/dev/dri/renderD128', path.join(root, 'proc/4242/fd/7'));
    put('proc/1/comm', 'systemd\n');
    mkdirSync(path.join(root, 'proc/1/fd'), { recursive: true });
    symlinkSync('/dev/null', path.join(root, 'proc/1/fd/0'));
    const r = run(RUNTIME, 'prepare', VM);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the GPU is in use by: 4242:steam\(\/dev\/dri\/renderD128\)/);
    const [runInfo] = handoffRuns(log().events);
    expect(runInfo).toMatchObject({ action: 'prepare', outcome: 'failed', failedStep: 'holders' });
    expect(existsSync(path.join(root, 'run/gpu-ferry', `${vmFileStem(VM)}.state`))).toBe(false);
  });

  it('a driver that never lets go: fails after the timeout and the log says so (no fixed sleep: a poll with a deadline)', () => {
    const r = run(RUNTIME, 'prepare', VM);
    expect(r.status).toBe(1);
    const failed = log().events.find((e) => e.status === 'fail' && e.step === 'driver-unbind');
    expect(failed?.message).toBe(`${GPU} still bound after 1 s`);
    expect(failed?.durationMs).toBeGreaterThanOrEqual(1000);
    // The unbind write went to the driver; the rollback then asked the kernel to reprobe the device.
    expect(readFileSync(path.join(root, 'sys/bus/pci/drivers/amdgpu/unbind'), 'utf8')).toBe(GPU);
    expect(log().events.some((e) => e.phase === 'rollback' && e.step === 'driver-unbind' && e.status === 'undone')).toBe(true);
  });

  it('release undoes exactly what an interrupted prepare recorded, then has nothing left to do', () => {
    put(`run/gpu-ferry/${vmFileStem(VM)}.state`, `begin prepare 1\ndriver-unbind ${GPU} amdgpu\n`);
    expect(run(RUNTIME, 'release', VM).status).toBe(0);
    const ev = log().events;
    expect(ev.map((e) => `${e.step}:${e.status}`)).toEqual(['release:start', 'driver-unbind:undone', 'release:done']);
    expect(ev[0]?.message).toMatch(/did not complete/);
    expect(run(RUNTIME, 'release', VM).status).toBe(0);
    expect(log().events.at(-1)?.message).toMatch(/nothing to release/);
  });
});

describe('libvirt hook on a fake tree', () => {
  beforeEach(() => {
    put('usr/libexec/gpu-ferry/gpu-ferry-handoff', readFileSync(RUNTIME, 'utf8'));
    chmodSync(path.join(root, 'usr/libexec/gpu-ferry/gpu-ferry-handoff'), 0o755);
  });

  it('maps libvirt events: release/end runs release; reconnect, start, stopped and other VMs exit 0 and do nothing', () => {
    for (const args of [[VM, 'reconnect', 'begin', '-'], [VM, 'start', 'begin', '-'], [VM, 'stopped', 'end', '-'], ['other', 'prepare', 'begin', '-']])
      expect(run(HOOK, ...args).status).toBe(0);
    expect(log().events).toEqual([]);
    expect(run(HOOK, VM, 'release', 'end', '-').status).toBe(0);
    expect(log().events.at(-1)).toMatchObject({ phase: 'release', status: 'skip' });
  });

  it('a failed prepare makes the hook exit 1 (libvirt then refuses to start the VM)', () => {
    expect(run(HOOK, VM, 'prepare', 'begin', '-').status).toBe(1);
  });

  it('steps aside when a user hooks/qemu dispatcher runs qemu.d/* (libvirt already runs it directly)', () => {
    put('etc/libvirt/hooks/qemu', `#!/bin/bash\nfor h in "${root}"/etc/libvirt/hooks/qemu.d/*; do "$h" "$@"; done\n`);
    chmodSync(path.join(root, 'etc/libvirt/hooks/qemu'), 0o755);
    put('etc/libvirt/hooks/qemu.d/gpu-ferry', readFileSync(HOOK, 'utf8'));
    chmodSync(path.join(root, 'etc/libvirt/hooks/qemu.d/gpu-ferry'), 0o755);
    expect(run(path.join(root, 'etc/libvirt/hooks/qemu'), VM, 'release', 'end', '-').status).toBe(0);
    expect(log().events).toEqual([]);
  });
});

describe('single-GPU steps on a fake tree (fake systemctl and modprobe record what they are asked)', () => {
  const calls = () => readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n');
  beforeEach(() => {
    put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service' })));
    mkdirSync(path.join(root, 'run/systemd/system'), { recursive: true });
    put('units/sddm.service', 'active\n');
    put('sys/class/vtconsole/vtcon0/name', '(S) dummy device\n');
    put('sys/class/vtconsole/vtcon0/bind', '1\n');
    put('sys/class/vtconsole/vtcon1/name', '(M) frame buffer device\n');
    put('sys/class/vtconsole/vtcon1/bind', '1\n');
    put('sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0/uevent', '');
    put('sys/bus/platform/drivers/efi-framebuffer/unbind', '');
    put('sys/bus/platform/drivers/efi-framebuffer/bind', '');
    put('sys/module/amdgpu/initstate', 'live\n');
    // systemctl: is-active reads units/<unit>, stop/start write it; every call is recorded.
    put('bin/systemctl', `#!/bin/bash\necho "systemctl $*" >>"${root}/calls"\nu="\${@: -1}"\ncase $1 in is-active) cat "${root}/units/$u";; stop) echo inactive >"${root}/units/$u";; start) echo active >"${root}/units/$u";; esac\n`);
    put('bin/modprobe', `#!/bin/bash\necho "modprobe $*" >>"${root}/calls"\n`);
    chmodSync(path.join(root, 'bin/systemctl'), 0o755);
    chmodSync(path.join(root, 'bin/modprobe'), 0o755);
  });
  const runFake = (...args: string[]) => spawnSync(RUNTIME, args, { encoding: 'utf8', env: { PATH: `${root}/bin:${process.env.PATH}`, GPU_FERRY_ROOT: root } });

  it('stops the display manager, unbinds fbcon and the firmware framebuffer; on a later failure undoes them in reverse order', () => {
    const r = runFake('prepare', VM);
    expect(r.status).toBe(1); // the fake driver never lets go of the GPU
    const ev = log().events;
    const seq = ev.map((e) => `${e.phase}:${e.step}:${e.status}`);
    expect(seq.slice(0, 7)).toEqual(['prepare:prepare:start', 'prepare:dm-stop:ok', 'prepare:session-wait:ok', 'prepare:persistenced-stop:skip',
      'prepare:vtcon-unbind:ok', 'prepare:fb-release:ok', 'prepare:holders:ok']);
    expect(seq).toContain('prepare:driver-unbind:fail');
    const undone = ev.filter((e) => e.phase === 'rollback' && e.status === 'undone').map((e) => e.step);
    expect(undone).toEqual(['driver-unbind', 'fb-unbind', 'vtcon-unbind', 'dm-stop']);
    expect(readFileSync(path.join(root, 'sys/class/vtconsole/vtcon1/bind'), 'utf8')).toBe('1');
    expect(readFileSync(path.join(root, 'sys/class/vtconsole/vtcon0/bind'), 'utf8')).toBe('1\n'); // the dummy console is never touched
    expect(readFileSync(path.join(root, 'sys/bus/platform/drivers/efi-framebuffer/unbind'), 'utf8')).toBe('efi-framebuffer.0');
    expect(calls().filter((c) => !c.includes('is-active'))).toEqual(['systemctl stop --no-block -- sddm.service', 'systemctl start --no-block -- sddm.service']);
    expect(readFileSync(path.join(root, 'units/sddm.service'), 'utf8')).toBe('active\n');
  });

  it('a display manager that does not stop in time fails the handoff and is started again', () => {
    put('bin/systemctl', `#!/bin/bash\necho "systemctl $*" >>"${root}/calls"\ncase $1 in is-active) echo active;; esac\n`);
    const r = runFake('prepare', VM);
    expect(r.status).toBe(1);
    expect(log().events.find((e) => e.step === 'dm-stop' && e.status === 'fail')?.message).toBe('sddm.service still running after 1 s');
    expect(calls().at(-1)).toBe('systemctl start --no-block -- sddm.service');
  });

  it('rescue: with no state at all, clears driver_override, loads the stack, rebinds fbcon, starts the display manager', () => {
    put(`sys/bus/pci/devices/${GPU}/driver_override`, 'vfio-pci\n');
    put('sys/bus/pci/drivers_probe', '');
    put('sys/class/vtconsole/vtcon1/bind', '0\n');
    rmSync(path.join(root, 'sys/module/amdgpu'), { recursive: true });
    put('units/sddm.service', 'inactive\n');
    runFake('rescue', VM);
    expect(readFileSync(path.join(root, `sys/bus/pci/devices/${GPU}/driver_override`), 'utf8')).toBe('\n');
    expect(calls()).toContain('modprobe -- amdgpu');
    expect(readFileSync(path.join(root, 'sys/class/vtconsole/vtcon1/bind'), 'utf8')).toBe('1');
    expect(calls()).toContain('systemctl restart --no-block -- sddm.service');
    expect(log().events.at(-1)).toMatchObject({ phase: 'rescue', step: 'rescue' });
  });
});

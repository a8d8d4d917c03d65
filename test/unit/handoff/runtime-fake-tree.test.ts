// The bash runtime and hook against a fake tree (GPU_FERRY_ROOT): config parsing and refusals, VM
// name mapping shared with TypeScript, holders found through /proc/*/fd, release/rollback bookkeeping,
// the dispatcher guard. Kernel behaviour itself is tested on a real kernel (test/kernel/).
// The runtime and hook ignore GPU_FERRY_ROOT as root, so when the tests run as root they run the scripts as
// nobody (setpriv) on a tree chowned to nobody.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffConfigPath, renderHandoffConfig, type HandoffConfig } from '../../../shared/handoff/config';
import { handoffRuns, parseHandoffLog } from '../../../shared/handoff/timeline';
import { vmFileStem } from '../../../shared/vm/vm-name';
import { addSingleGpuDesktop, asTreeUser, fakeTree, HANDOFF_RUNTIME as RUNTIME, TESTS_RUN_AS_ROOT as AS_ROOT, type FakeTree } from '../../lib/handoff-fake-tree';

const HOOK = path.resolve('resources/hooks/gpu-ferry');
// A hostile VM name: a leading dash, quotes, $(), a glob and a "PID:" — all data, none of it split or run.
const VM = `-x Jeux "vidéo" $(x) * 1: y`;
const GPU = '0000:0a:00.0';
let root = '';
let tree: FakeTree;

const config = (over: Partial<HandoffConfig> = {}): HandoffConfig => ({
  vm: VM, mode: 'dual-gpu', devices: [GPU], modules: [], displayManager: null, session: 'wait', holders: 'refuse', timeoutStopSeconds: 1, timeoutDeviceSeconds: 1, ...over,
});
const put = (rel: string, content: string) => tree.put(rel, content);
/** Runs CMD on the fake tree (as nobody when we are root). */
const run = (cmd: string, ...args: string[]) => tree.run(cmd, args);
/** sleep 30, owned by the user the runtime runs as (so that it may signal it). */
const liveSleeper = () => spawn(...asTreeUser('sleep', ['30']), { stdio: 'ignore' });
/** A fake device node: a symlink to a real character device (the runtime compares fds by device and inode). */
const node = (rel: string, real: string) => { const p = path.join(root, rel); mkdirSync(path.dirname(p), { recursive: true }); symlinkSync(real, p); };
/** Fake /proc entry: PID with COMM, owner UID, fds 0.. pointing at TARGETS, and its control group (cgroup v2). */
const proc = (pid: number, comm: string, uid: number, targets: string[], cgroup = '/system.slice/unknown.service') => {
  put(`proc/${pid}/comm`, `${comm}\n`);
  put(`proc/${pid}/cgroup`, `0::${cgroup}\n`);
  put(`proc/${pid}/status`, `Name:\t${comm}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\n`);
  mkdirSync(path.join(root, `proc/${pid}/fd`), { recursive: true });
  targets.forEach((t, fd) => symlinkSync(t, path.join(root, `proc/${pid}/fd/${fd}`)));
};
/** The runtime's holder list for processes (PID → name) holding NODE, in its /proc glob order (PIDs as strings). */
const heldBy = (names: Record<string, string>, node: string) =>
  Object.keys(names).sort().map((pid) => `${pid}:${names[pid]}(${node})`).join(' ');
/** A logind session as /run/systemd/sessions/ID describes it (the file sd-login reads). */
const session = (id: string, uid: number, type: string) => put(`run/systemd/sessions/${id}`, `# This is private data. Do not parse.\nUID=${uid}\nUSER=u${uid}\nACTIVE=1\nTYPE=${type}\nCLASS=user\nSCOPE=session-${id}.scope\n`);
/** True while PID runs (a zombie, killed but not yet reaped by us, is not running). */
const running = (pid: number) => { try { const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); return st.slice(st.lastIndexOf(')') + 2)[0] !== 'Z'; } catch { return false; } };
const exited = (child: ReturnType<typeof spawn>) => new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
const log = () => {
  const p = path.join(root, 'var/log/gpu-ferry', `${vmFileStem(VM)}.jsonl`);
  return existsSync(p) ? parseHandoffLog(readFileSync(p, 'utf8')) : { events: [], badLines: [] };
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gft-fake-'));
  tree = fakeTree(root);
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
  });

  it('a VM name no config can exist for is not ours (exit 3), not an error that would block the VM', () => {
    expect(run(RUNTIME, 'prepare', 'a\nb').status).toBe(3);
    expect(run(RUNTIME, 'prepare', '游戏'.repeat(14)).status).toBe(3); // 252 bytes encoded: > 240
    expect(existsSync(path.join(root, 'var/log/gpu-ferry'))).toBe(false);
  });

  it.each([
    ['a command substitution', (t: string) => t.replace(`DEVICES=${GPU}`, `DEVICES=$(touch ${'PWNED'})`), /DEVICES must be PCI addresses/],
    ['an unknown key', (t: string) => `${t}LD_PRELOAD=/x.so\n`, /unknown key LD_PRELOAD/],
    ['a duplicate key', (t: string) => `${t}MODE=single-gpu\n`, /duplicate key MODE/],
    ['a wrong VM=', (t: string) => t.replace(/^VM=.*$/m, 'VM=other'), /does not match/],
    ['a module list with shell syntax', (t: string) => t.replace('MODULES=', 'MODULES=amdgpu;reboot'), /MODULES must be/],
    // The runtime checks values with shell patterns (no regex compiled per test): each edge the regexes refused.
    ['no device', (t: string) => t.replace(`DEVICES=${GPU}`, 'DEVICES='), /DEVICES must be PCI addresses/],
    ['two spaces between devices', (t: string) => t.replace(`DEVICES=${GPU}`, `DEVICES=${GPU}  0000:0a:00.1`), /DEVICES must be PCI addresses/],
    ['a tab between devices', (t: string) => t.replace(`DEVICES=${GPU}`, `DEVICES=${GPU}\t0000:0a:00.1`), /DEVICES must be PCI addresses/],
    ['a trailing space after the devices', (t: string) => t.replace(`DEVICES=${GPU}`, `DEVICES=${GPU} `), /DEVICES must be PCI addresses/],
    ['a function 8', (t: string) => t.replace(`DEVICES=${GPU}`, 'DEVICES=0000:0a:00.8'), /DEVICES must be PCI addresses/],
    ['an upper-case address', (t: string) => t.replace(`DEVICES=${GPU}`, 'DEVICES=0000:0A:00.0'), /DEVICES must be PCI addresses/],
    ['a glob as a device', (t: string) => t.replace(`DEVICES=${GPU}`, 'DEVICES=0000:0a:00.?'), /DEVICES must be PCI addresses/],
    ['a leading space in the modules', (t: string) => t.replace('MODULES=', 'MODULES= amdgpu'), /MODULES must be/],
    ['an upper-case module', (t: string) => t.replace('MODULES=', 'MODULES=AMDGPU'), /MODULES must be/],
    ['a display manager that is no service', (t: string) => t.replace('DISPLAY_MANAGER=', 'DISPLAY_MANAGER=sshd.socket'), /DISPLAY_MANAGER must be/],
    ['a bare .service', (t: string) => t.replace('DISPLAY_MANAGER=', 'DISPLAY_MANAGER=.service'), /DISPLAY_MANAGER must be/],
    ['a path as display manager', (t: string) => t.replace('DISPLAY_MANAGER=', 'DISPLAY_MANAGER=../x.service'), /DISPLAY_MANAGER must be/],
    ['a timeout of 0', (t: string) => t.replace(/^TIMEOUT_STOP=.*$/m, 'TIMEOUT_STOP=0'), /whole seconds/],
    ['a timeout of 1000', (t: string) => t.replace(/^TIMEOUT_DEVICE=.*$/m, 'TIMEOUT_DEVICE=1000'), /whole seconds/],
    ['a timeout with a leading zero', (t: string) => t.replace(/^TIMEOUT_STOP=.*$/m, 'TIMEOUT_STOP=09'), /whole seconds/],
    ['a timeout with a fraction', (t: string) => t.replace(/^TIMEOUT_STOP=.*$/m, 'TIMEOUT_STOP=1.5'), /whole seconds/],
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
    node('dev/dri/renderD128', '/dev/zero');
    proc(4242, 'steam', 1000, ['/dev/null', '/dev/null', '/dev/null', '/dev/null', '/dev/null', '/dev/null', '/dev/null', path.join(root, 'dev/dri/renderD128')]);
    proc(1, 'systemd', 0, ['/dev/null']);
    const r = run(RUNTIME, 'prepare', VM);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the GPU is in use by: 4242:steam\(\/dev\/dri\/renderD128\)/);
    const [runInfo] = handoffRuns(log().events);
    expect(runInfo).toMatchObject({ action: 'prepare', outcome: 'failed', failedStep: 'holders' });
    expect(existsSync(path.join(root, 'run/gpu-ferry', `${vmFileStem(VM)}.state`))).toBe(false);
  });

  it('an fd on a FUSE mount with allow_other is skipped by its fdinfo mount ID, never statted (its daemon could hang the scan); other fds still count', () => {
    node('dev/dri/renderD128', '/dev/zero');
    const gpuNode = path.join(root, 'dev/dri/renderD128');
    // Mount 77 is a FUSE file system with allow_other (a space in its mount point escaped as the kernel does);
    // 78 is FUSE without allow_other (root is refused by the kernel, the daemon is never asked); 26 is /dev.
    put('proc/self/mountinfo', [
      '26 1 0:5 / /dev rw,nosuid - devtmpfs udev rw,mode=755',
      '77 30 0:50 / /home/u/my\\040sshfs rw,nosuid,nodev shared:9 - fuse.sshfs u@h:/ rw,user_id=1000,group_id=1000,allow_other',
      '78 30 0:51 / /run/user/1000/gvfs rw,nosuid,nodev - fuse.gvfsd-fuse gvfsd-fuse rw,user_id=1000,group_id=1000',
    ].join('\n') + '\n');
    proc(5001, 'on-fuse', 1000, [gpuNode]);
    put('proc/5001/fdinfo/0', 'pos:\t0\nflags:\t02\nmnt_id:\t77\nino:\t5\n');
    proc(5002, 'steam', 1000, [gpuNode]);
    put('proc/5002/fdinfo/0', 'pos:\t0\nflags:\t02\nmnt_id:\t78\nino:\t5\n');
    const r = run(RUNTIME, 'prepare', VM);
    expect(r.status).toBe(1);
    expect(log().events.find((e) => e.step === 'holders')?.message).toBe('the GPU is in use by: 5002:steam(/dev/dri/renderD128)');
  });

  it('a holder whose name has a newline cannot forge a line of ours on stderr or in journald: control characters print as ?', () => {
    node('dev/dri/renderD128', '/dev/zero');
    proc(4243, 'x\ngpu-ferry: release done', 1000, [path.join(root, 'dev/dri/renderD128')]);
    const r = run(RUNTIME, 'prepare', VM);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the GPU is in use by: 4243:x?gpu-ferry: release done(/dev/dri/renderD128)');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('gpu-ferry: release done'))).toEqual([]);
  });

  it('a file name with newlines and " -> " in it poses as no holder: nothing killed, nothing refused (review item 2)', () => {
    // What `ls -l` of this fd prints fakes a header for PID "-1 x" and a line naming the GPU's node: the old
    // parser reported (HOLDERS=terminate: killed) PID -1. HOLDERS=refuse here, so a regression cannot kill.
    const evil = `/tmp/b\n${root}/proc/-1 x/fd:\nlrwx 9 -> /dev/dri/card1`;
    node('dev/dri/card1', '/dev/zero');
    proc(4343, 'evil', 1000, [evil, evil.replace('card1', 'card0'), '/dev/null']);
    const r = run(RUNTIME, 'prepare', VM);
    expect(log().events.find((e) => e.step === 'holders')).toMatchObject({ status: 'ok', message: 'nothing holds 2 device node(s)' });
    expect(r.stderr).not.toMatch(/in use by/);
  });

  it('dual-GPU: the host\'s display server holding the VM\'s GPU is refused with what to do about it; a plain program gets no such advice', () => {
    node('dev/dri/card1', '/dev/zero');
    proc(999_980, 'Xorg', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/lightdm.service');
    expect(run(RUNTIME, 'prepare', VM).status).toBe(1);
    const message = log().events.find((e) => e.step === 'holders')?.message ?? '';
    expect(message).toBe('the GPU is in use by: 999980:Xorg(/dev/dri/card1); the host\'s display server opened this GPU as an extra GPU when it started: ' +
      'keep the desktop off it (gpu-ferry apply display-off-vm-gpu --gpu 0000:0a:00.0) and restart the display manager, or have vfio-pci claim it at boot (gpu-ferry apply vfio-early --gpu 0000:0a:00.0) and restart');
    rmSync(path.join(root, 'proc/999980'), { recursive: true });
    proc(999_981, 'steam', 1000, [path.join(root, 'dev/dri/card1')]);
    expect(run(RUNTIME, 'prepare', VM).status).toBe(1);
    expect(log().events.filter((e) => e.step === 'holders').at(-1)?.message).toBe('the GPU is in use by: 999981:steam(/dev/dri/card1)');
  });

  it('dual-GPU ends no session: HOLDERS=terminate signals no holder and refuses, naming it (item 14.5)', () => {
    const sleeper = liveSleeper();
    try {
      session('2', 1000, 'wayland');
      node('dev/dri/card1', '/dev/zero');
      proc(sleeper.pid ?? 0, 'sleep', 1000, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1000.slice/session-2.scope');
      put(handoffConfigPath(VM), renderHandoffConfig(config({ holders: 'terminate' })));
      expect(run(RUNTIME, 'prepare', VM).status).toBe(1);
      expect(log().events.find((e) => e.step === 'holders')?.message).toBe(
        `the GPU is in use by: ${sleeper.pid}:sleep(/dev/dri/card1); nothing signalled: not part of the graphical session being ended: ${sleeper.pid}:sleep`);
      expect(running(sleeper.pid ?? 0)).toBe(true);
    } finally { sleeper.kill('SIGKILL'); }
  });

  it('a malformed state line is logged and skipped; the other undos run; failed undos stay in the state file (items 10, 19)', () => {
    const state = path.join(root, 'run/gpu-ferry', `${vmFileStem(VM)}.state`);
    put(`run/gpu-ferry/${vmFileStem(VM)}.state`, `begin prepare 1\ndriver-unbind ${GPU} amdgpu\ndriver-unbind\nvtcon-unbind vtcon9\nfb-unbind ../x\n`);
    expect(run(RUNTIME, 'release', VM).status).toBe(1);
    const ev = log().events;
    expect(ev.filter((e) => e.step === 'state' && e.status === 'fail').map((e) => e.message)).toEqual([
      'malformed state entry skipped: fb-unbind ../x', 'malformed state entry skipped: driver-unbind']);
    expect(ev.find((e) => e.step === 'vtcon-unbind')).toMatchObject({ status: 'fail' }); // no vtcon9 in the tree
    expect(ev.find((e) => e.step === 'driver-unbind')).toMatchObject({ status: 'undone' });
    expect(readFileSync(state, 'utf8')).toBe('begin leftover\nvtcon-unbind vtcon9\n');
    // Once the console exists, the next release finishes the job and removes the state.
    put('sys/class/vtconsole/vtcon9/bind', '0\n');
    expect(run(RUNTIME, 'release', VM).status).toBe(0);
    expect(existsSync(state)).toBe(false);
    expect(readFileSync(path.join(root, 'sys/class/vtconsole/vtcon9/bind'), 'utf8')).toBe('1');
  });

  it('as root, GPU_FERRY_ROOT is ignored: the fake tree is neither read nor written (item 11)', () => {
    if (!AS_ROOT) return; // only meaningful as root; non-root runs use the fake tree by design
    const vm = `gft-not-configured-${process.pid}`;
    put(handoffConfigPath(vm), renderHandoffConfig(config({ vm })));
    const r = spawnSync(RUNTIME, ['release', vm], { encoding: 'utf8', env: { PATH: process.env.PATH, GPU_FERRY_ROOT: root } });
    expect(r.status).toBe(3); // the real /etc/gpu-ferry/vms has no config for it
    expect(existsSync(path.join(root, 'var/log/gpu-ferry'))).toBe(false);
    expect(existsSync(path.join(root, 'run/gpu-ferry'))).toBe(false);
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

  it('one handoff of a VM at a time: while another holds its lock, a release waits the config\'s timeout and fails saying so; once free, it runs', async () => {
    expect(run(RUNTIME, 'release', VM).status).toBe(0); // nothing to release; hands the tree to its user, makes run/gpu-ferry
    const lock = path.join(root, `run/gpu-ferry/${vmFileStem(VM)}.lock`);
    const holder = spawn(...asTreeUser('flock', [lock, 'sleep', '30']), { stdio: 'ignore', detached: true }); // its own group: flock and its sleep
    const held = () => spawnSync(...asTreeUser('flock', ['-n', lock, 'true'])).status === 1;
    for (let i = 0; i < 300 && !held(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(held()).toBe(true);
    const r = run(RUNTIME, 'release', VM);
    expect(r.status).toBe(1);
    expect(log().events.at(-1)).toMatchObject({ step: 'lock', status: 'fail', message: 'another handoff of this VM is still running' });
    process.kill(-(holder.pid ?? 0), 'SIGTERM');
    await exited(holder);
    expect(run(RUNTIME, 'release', VM).status).toBe(0);
    expect(log().events.at(-1)).toMatchObject({ phase: 'release', status: 'skip' });
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

  it('VM names no config can exist for (control characters, too long) start normally: hook exit 0 (item 14)', () => {
    expect(run(HOOK, 'a\tb', 'prepare', 'begin', '-').status).toBe(0);
    expect(run(HOOK, '游戏'.repeat(14), 'prepare', 'begin', '-').status).toBe(0);
    expect(log().events).toEqual([]);
  });

  it('as root the hook ignores GPU_FERRY_ROOT: it never runs the fake tree\'s runtime (item 11)', () => {
    if (!AS_ROOT) return;
    const marker = path.join(root, 'ran');
    put('usr/libexec/gpu-ferry/gpu-ferry-handoff', `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(path.join(root, 'usr/libexec/gpu-ferry/gpu-ferry-handoff'), 0o755);
    const r = spawnSync(HOOK, [`gft-not-configured-${process.pid}`, 'release', 'end', '-'], { encoding: 'utf8', env: { PATH: process.env.PATH, GPU_FERRY_ROOT: root } });
    expect(r.status).toBe(0);
    expect(existsSync(marker)).toBe(false);
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
  /** The fake systemctl's and modprobe's calls, none when they were never run. */
  const calls = () => (existsSync(path.join(root, 'calls')) ? readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n') : []);
  beforeEach(() => {
    put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service' })));
    addSingleGpuDesktop(tree);
    put('sys/module/amdgpu/initstate', 'live\n');
    // systemctl: is-active reads units/<unit>, stop/start write it; every call is recorded.
    put('bin/systemctl', `#!/bin/bash\necho "systemctl $*" >>"${root}/calls"\nu="\${@: -1}"\ncase $1 in is-active) cat "${root}/units/$u";; stop) echo inactive >"${root}/units/$u";; start) echo active >"${root}/units/$u";; esac\n`);
    put('bin/modprobe', `#!/bin/bash\necho "modprobe $*" >>"${root}/calls"\n`);
    chmodSync(path.join(root, 'bin/systemctl'), 0o755);
    chmodSync(path.join(root, 'bin/modprobe'), 0o755);
  });
  const runFake = (...args: string[]) => tree.runRuntime(args, { fakeBin: true });

  it('stops the display manager, unbinds fbcon and the firmware framebuffer; on a later failure undoes them, the display first', () => {
    const r = runFake('prepare', VM);
    expect(r.status).toBe(1); // the fake driver never lets go of the GPU
    const ev = log().events;
    const seq = ev.map((e) => `${e.phase}:${e.step}:${e.status}`);
    expect(seq.slice(0, 8)).toEqual(['prepare:prepare:start', 'prepare:holders-first:ok', 'prepare:dm-stop:ok', 'prepare:session-wait:ok',
      'prepare:persistenced-stop:skip', 'prepare:vtcon-unbind:ok', 'prepare:fb-release:ok', 'prepare:holders:ok']);
    expect(seq).toContain('prepare:driver-unbind:fail');
    const undone = ev.filter((e) => e.phase === 'rollback' && e.status === 'undone').map((e) => e.step);
    expect(undone).toEqual(['driver-unbind', 'vtcon-unbind', 'dm-stop', 'fb-unbind']); // fbcon and the display manager as soon as the GPU is back
    expect(readFileSync(path.join(root, 'sys/class/vtconsole/vtcon1/bind'), 'utf8')).toBe('1');
    expect(readFileSync(path.join(root, 'sys/class/vtconsole/vtcon0/bind'), 'utf8')).toBe('1\n'); // the dummy console is never touched
    expect(readFileSync(path.join(root, 'sys/bus/platform/drivers/efi-framebuffer/unbind'), 'utf8')).toBe('efi-framebuffer.0');
    expect(calls().filter((c) => !c.includes('is-active'))).toEqual(['systemctl stop -- sddm.service', 'systemctl start --no-block -- sddm.service']);
    // The driver names are in the unbind event; no question to systemd about a unit that has no file.
    expect(calls().filter((c) => c.includes('nvidia-persistenced'))).toEqual([]);
    expect(ev.find((e) => e.step === 'persistenced-stop')?.message).toBe('nvidia-persistenced not installed');
    expect(readFileSync(path.join(root, 'units/sddm.service'), 'utf8')).toBe('active\n');
  });

  it('a display manager that does not stop in time fails the handoff and is started again', () => {
    // systemctl stop waits for its job: one that outlives the deadline is a display manager that does not stop.
    put('bin/systemctl', `#!/bin/bash\necho "systemctl $*" >>"${root}/calls"\ncase $1 in is-active) echo active;; stop) sleep 3;; esac\n`);
    const r = runFake('prepare', VM);
    expect(r.status).toBe(1);
    expect(log().events.find((e) => e.step === 'dm-stop' && e.status === 'fail')?.message).toBe('sddm.service still running after 1 s');
    expect(calls().at(-1)).toBe('systemctl start --no-block -- sddm.service');
  });

  it('session processes: only compositors of the session being ended count; another user\'s "Xorg" is never signalled (items 13, 14.5)', async () => {
    session('2', 1000, 'wayland'); // alice's graphical session
    session('5', 1001, 'tty'); // bob, logged in over ssh
    const bobs = liveSleeper();
    const shell = liveSleeper();
    const gone = exited(shell);
    try {
      proc(bobs.pid ?? 0, 'Xorg', 1001, ['/dev/null'], '/user.slice/user-1001.slice/session-5.scope'); // named Xorg, holds nothing
      put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service', session: 'wait' })));
      runFake('prepare', VM);
      expect(log().events.find((e) => e.step === 'session-wait')).toMatchObject({ status: 'ok', message: 'no graphical session left' });

      // alice's compositor, run by her user manager (as GNOME runs it): the session's.
      proc(shell.pid ?? 0, 'gnome-shell', 1000, ['/dev/null'], '/user.slice/user-1000.slice/user@1000.service/session.slice/org.gnome.Shell@wayland.service');
      put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service', session: 'terminate' })));
      put('units/sddm.service', 'active\n');
      runFake('prepare', VM);
      expect(await gone).toBe('SIGTERM');
      const step = log().events.filter((e) => e.step === 'session-wait').at(-1);
      expect(step?.message).toBe(`graphical session still running: ${shell.pid}:gnome-shell`); // the fake /proc entry stays
      expect(running(bobs.pid ?? 0)).toBe(true);
    } finally { shell.kill('SIGKILL'); bobs.kill('SIGKILL'); }
  });

  it('HOLDERS=terminate signals a holder of the session being ended by the PID of its record: its name "x <PID>:" names no one (item 14.5)', async () => {
    session('2', 1000, 'x11');
    const holder = liveSleeper();
    const bystander = liveSleeper();
    const holderGone = exited(holder);
    try {
      node('dev/dri/renderD128', '/dev/zero');
      proc(holder.pid ?? 0, `x ${bystander.pid}:`, 1000, ['/dev/null', path.join(root, 'dev/dri/renderD128')], '/user.slice/user-1000.slice/session-2.scope');
      put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service', holders: 'terminate' })));
      runFake('prepare', VM);
      expect(await holderGone).toBe('SIGTERM');
      // The fake /proc entry outlives the process, so the step still fails; who was signalled is what counts.
      expect(log().events.find((e) => e.step === 'holders')?.message).toBe(`the GPU is in use by: ${holder.pid}:x ${bystander.pid}:(/dev/dri/renderD128)`);
      expect(running(bystander.pid ?? 0)).toBe(true);
    } finally { holder.kill('SIGKILL'); bystander.kill('SIGKILL'); }
  });

  it('HOLDERS=terminate with one holder outside the session (a system service): refused before the display manager is stopped, nothing signalled at all (item 14.5, issue 13 fault-holder)', () => {
    session('2', 1000, 'x11');
    const mine = liveSleeper();
    const service = liveSleeper();
    try {
      node('dev/dri/card1', '/dev/zero');
      proc(mine.pid ?? 0, 'steam', 1000, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1000.slice/session-2.scope');
      // A user cgroup named like the session scope, below another unit, is not that session.
      proc(service.pid ?? 0, 'monitor', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/gpu-monitor.service/session-2.scope');
      put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service', holders: 'terminate' })));
      expect(runFake('prepare', VM).status).toBe(1);
      const listed = heldBy({ [String(mine.pid)]: 'steam', [String(service.pid)]: 'monitor' }, '/dev/dri/card1');
      // Found before anything is stopped: the session's own holder (steam) would go with the session, the
      // service's would not, so the person's desktop is left running and only the outsider is named.
      expect(log().events.find((e) => e.step === 'holders-first')).toMatchObject({
        status: 'fail',
        message: `the GPU is in use by: ${listed}; nothing signalled: not part of the graphical session being ended: ${service.pid}:monitor; nothing was stopped`,
      });
      expect(log().events.some((e) => e.step === 'dm-stop' || e.step === 'holders')).toBe(false);
      expect(calls().filter((c) => c.includes(' stop '))).toEqual([]); // systemd never asked to stop anything
      expect([running(mine.pid ?? 0), running(service.pid ?? 0)]).toEqual([true, true]);
    } finally { mine.kill('SIGKILL'); service.kill('SIGKILL'); }
  });

  it('single GPU, HOLDERS=refuse: a program outside the desktop session holding the card is refused first; the desktop, Xorg included, is left running', () => {
    // Nobody is signalled when refusing, so the processes need no live PIDs: fake /proc entries are enough.
    session('2', 1000, 'x11');
    node('dev/dri/card1', '/dev/zero');
    proc(999_990, 'Xorg', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/sddm.service');
    // logind keeps the devices it opened for a session until the session ends: not an outsider.
    proc(999_991, 'systemd-logind', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/systemd-logind.service');
    proc(999_992, 'hold-card', 1000, [path.join(root, 'dev/dri/card1')], '/system.slice/systest.service');
    put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service' })));
    expect(runFake('prepare', VM).status).toBe(1);
    const ev = log().events;
    expect(ev.map((e) => `${e.step}:${e.status}`)).toEqual(['prepare:start', 'holders-first:fail', 'rollback:start', 'rollback:done', 'prepare:fail']); // nothing to undo
    const listed = heldBy({ 999990: 'Xorg', 999991: 'systemd-logind', 999992: 'hold-card' }, '/dev/dri/card1');
    expect(ev[1]?.message).toBe(`the GPU is in use by: ${listed}; nothing signalled: not part of the graphical session being ended: 999992:hold-card; nothing was stopped`);
    expect(calls()).toEqual([]); // systemd never asked anything
    expect(existsSync(path.join(root, `run/gpu-ferry/${vmFileStem(VM)}.state`))).toBe(false);
  });

  it('single GPU, cgroup v2: the first holder scan skips the processes its control groups list for the session, and still refuses an outsider', () => {
    session('2', 1000, 'x11');
    node('dev/dri/card1', '/dev/zero');
    put('sys/fs/cgroup/cgroup.controllers', 'cpu memory pids\n');
    // The display manager's unit with a subgroup, the session's scope, the user's manager with a nested app group.
    put('sys/fs/cgroup/system.slice/sddm.service/cgroup.procs', '999990\n');
    put('sys/fs/cgroup/system.slice/sddm.service/helper/cgroup.procs', '999989\n');
    put('sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/cgroup.procs', '999993\nnot-a-pid\n');
    put('sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/game.service/cgroup.procs', '999994\n');
    // Another user's manager: not the session's, so its process is scanned.
    put('sys/fs/cgroup/user.slice/user-1001.slice/user@1001.service/cgroup.procs', '999992\n');
    proc(999_989, 'sddm-helper', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/sddm.service/helper');
    proc(999_990, 'Xorg', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/sddm.service');
    proc(999_993, 'steam', 1000, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1000.slice/session-2.scope');
    proc(999_994, 'game', 1000, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1000.slice/user@1000.service/app.slice/game.service');
    put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service' })));
    runFake('prepare', VM);
    // Four session processes listed by their groups, none scanned: no holder record, and the message says so.
    expect(log().events.find((e) => e.step === 'holders-first')).toMatchObject({ status: 'ok', message: '0 holder(s), all of the graphical session (its 4 processes in its control groups not scanned)' });
    // The same with another user's process holding the card: scanned, and refused before anything stops.
    proc(999_992, 'hold-card', 1001, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1001.slice/user@1001.service');
    rmSync(path.join(root, 'var/log/gpu-ferry'), { recursive: true, force: true });
    rmSync(path.join(root, `run/gpu-ferry/${vmFileStem(VM)}.state`), { force: true });
    expect(runFake('prepare', VM).status).toBe(1);
    expect(log().events.find((e) => e.step === 'holders-first')).toMatchObject({ status: 'fail',
      message: 'the GPU is in use by: 999992:hold-card(/dev/dri/card1); nothing signalled: not part of the graphical session being ended: 999992:hold-card; nothing was stopped' });
  });

  it('single GPU: holders that go with the session (its X server, logind\'s session devices, nvidia-persistenced) let the handoff go on', () => {
    session('2', 1000, 'x11');
    node('dev/dri/card1', '/dev/zero');
    proc(999_990, 'Xorg', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/sddm.service');
    proc(999_991, 'systemd-logind', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/systemd-logind.service');
    proc(999_992, 'nvidia-persiste', 0, [path.join(root, 'dev/dri/card1')], '/system.slice/nvidia-persistenced.service');
    proc(999_993, 'steam', 1000, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1000.slice/session-2.scope');
    put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service' })));
    runFake('prepare', VM);
    expect(log().events.find((e) => e.step === 'holders-first')).toMatchObject({ status: 'ok', message: '4 holder(s), all of the graphical session' });
    expect(calls()).toContain('systemctl stop -- sddm.service');
  });

  it('SESSION=terminate: a holder named "x <PID>:" does not make process PID (another user\'s "Xorg") a session process (item 14.5)', () => {
    const victim = liveSleeper();
    try {
      node('dev/dri/card1', '/dev/zero');
      session('7', 1002, 'x11'); // the holder's session is a graphical one: it passes holders-first, so session-wait runs
      proc(999_990, `x ${victim.pid}:`, 1002, [path.join(root, 'dev/dri/card1')], '/user.slice/user-1002.slice/session-7.scope');
      proc(victim.pid ?? 0, 'Xorg', 1001, ['/dev/null'], '/user.slice/user-1001.slice/session-5.scope');
      put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], displayManager: 'sddm.service', session: 'terminate' })));
      expect(runFake('prepare', VM).status).toBe(1);
      expect(log().events.find((e) => e.step === 'session-wait')).toMatchObject({ status: 'ok', message: 'no graphical session left' });
      expect(log().events.find((e) => e.step === 'holders')?.message).toBe(`the GPU is in use by: 999990:x ${victim.pid}:(/dev/dri/card1)`);
      expect(running(victim.pid ?? 0)).toBe(true);
    } finally { victim.kill('SIGKILL'); }
  });

  it('asks systemd only what it cannot read: a display manager whose control group is populated is running (no is-active)', () => {
    put('sys/fs/cgroup/system.slice/sddm.service/cgroup.events', 'populated 1\nfrozen 0\n');
    runFake('prepare', VM);
    expect(calls()).toEqual(['systemctl stop -- sddm.service', 'systemctl start --no-block -- sddm.service']);
    expect(log().events.find((e) => e.step === 'dm-stop')).toMatchObject({ status: 'ok', message: 'stopped sddm.service' });
  });

  it('release brings the display back first: fbcon and then the display manager once the GPU is back, before the audio function and the firmware frame buffer', () => {
    const AUDIO = '0000:0a:00.1';
    put(`sys/bus/pci/devices/${GPU}/driver_override`, 'vfio-pci\n');
    put(`sys/bus/pci/devices/${AUDIO}/class`, '0x040300\n');
    put(`sys/bus/pci/devices/${AUDIO}/driver_override`, 'vfio-pci\n');
    put(`sys/bus/pci/drivers/snd_hda_intel/${AUDIO}/uevent`, '');
    put('sys/class/vtconsole/vtcon1/bind', '0\n');
    put('units/sddm.service', 'inactive\n');
    put(`run/gpu-ferry/${vmFileStem(VM)}.state`, ['begin prepare 1', 'dm-stop sddm.service', 'vtcon-unbind vtcon1', 'fb-unbind efi-framebuffer efi-framebuffer.0',
      `driver-unbind ${GPU} amdgpu`, `driver-unbind ${AUDIO} snd_hda_intel`, 'module-unload amdgpu', `vfio-bind ${GPU}`, `vfio-bind ${AUDIO}`, 'complete', ''].join('\n'));
    expect(runFake('release', VM).status).toBe(0);
    const undone = log().events.filter((e) => e.status === 'undone');
    expect(undone.map((e) => `${e.step}:${e.message}`)).toEqual([
      `vfio-bind:${AUDIO} off vfio-pci`, `vfio-bind:${GPU} off vfio-pci`, 'module-unload:loaded amdgpu', `driver-unbind:${GPU} on amdgpu`,
      'vtcon-unbind:vtcon1 bound', 'dm-stop:started sddm.service', `driver-unbind:${AUDIO} on snd_hda_intel`, 'fb-unbind:efi-framebuffer.0 already on efi-framebuffer']);
    expect(undone.every((e) => typeof e.durationMs === 'number' && typeof e.waitMs === 'number' && e.waitMs <= e.durationMs)).toBe(true);
    const end = log().events.at(-1);
    expect(end).toMatchObject({ step: 'release', status: 'done' });
    expect(end?.runWaitMs).toBe(end?.waitMs);
  });

  it('without logind, a compositor still counts when it holds one of the GPU\'s nodes (it is the session)', () => {
    rmSync(path.join(root, 'run/systemd'), { recursive: true }); // no systemd: no loginctl asked
    node('dev/dri/card1', '/dev/zero');
    proc(999_998, 'Xorg', 1001, [path.join(root, 'dev/dri/card1')]);
    proc(999_997, 'Xorg', 1002, ['/dev/null']); // same name, holds nothing: not the session
    put(handoffConfigPath(VM), renderHandoffConfig(config({ mode: 'single-gpu', modules: ['amdgpu'], session: 'wait' })));
    expect(runFake('prepare', VM).status).toBe(1);
    expect(log().events.find((e) => e.step === 'session-wait')).toMatchObject({ status: 'fail', message: 'graphical session still running: 999998:Xorg' });
  });

  it('rescue restarts an enabled nvidia-persistenced and rebinds a driverless firmware frame buffer (item 10)', () => {
    put('lib/systemd/system/nvidia-persistenced.service', '[Service]\n');
    put('bin/systemctl', `#!/bin/bash\necho "systemctl $*" >>"${root}/calls"\nu="\${@: -1}"\ncase $1 in is-active) cat "${root}/units/$u" 2>/dev/null || echo inactive;; is-enabled) [[ $u == nvidia-persistenced.service ]] && echo enabled;; esac\n`);
    put('units/sddm.service', 'active\n');
    rmSync(path.join(root, 'sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0'), { recursive: true });
    put('sys/bus/platform/devices/efi-framebuffer.0/uevent', '');
    put('sys/bus/pci/drivers_probe', '');
    runFake('rescue', VM);
    expect(calls()).toContain('systemctl start --no-block -- nvidia-persistenced.service');
    expect(readFileSync(path.join(root, 'sys/bus/platform/drivers/efi-framebuffer/bind'), 'utf8')).toBe('efi-framebuffer.0');
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

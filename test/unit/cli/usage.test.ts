// The CLI as a person meets it: command groups list their commands, typos get our own short message,
// doctor says nothing false about this machine, and `vm inputs` / `vm create` give a new VM a keyboard,
// a mouse and (with a spare screen) SPICE. Runs the real built CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/analyze/report';
import { buildCli, fixture, removeTempDirs, runCli, tempDir } from '../host/cli-helpers';

beforeAll(() => buildCli(), 120_000);
// Every case spawns the built CLI (a Node start, a host load, some a virsh call): a loaded 2-core CI
// machine needs far more than vitest's default 5 s.
afterAll(removeTempDirs);

describe('command groups', { timeout: 60_000 }, () => {
  it.each([['vm'], ['vm', '--help'], ['looking-glass', '--help'], ['looking-glass']])('%s %s lists the group and exits 0', (...args) => {
    const run = runCli(args.filter(Boolean));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: gpu-ferry ${args[0]} <command>`);
    if (args[0] === 'vm') for (const word of ['vm list', 'vm create', 'vm inputs', 'vm start', 'vm check']) expect(run.stdout).toContain(word);
    else for (const word of ['looking-glass plan', 'looking-glass status', 'looking-glass launch']) expect(run.stdout).toContain(word);
  });

  it('a wrong word after a group names it, lists the group, and exits 2', () => {
    const run = runCli(['vm', 'bogus']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown command 'vm bogus'");
    expect(run.stderr).toContain('vm create');
  });
});

describe('unknown and malformed options get our own message', { timeout: 60_000 }, () => {
  it.each([
    [['doctor', '--frobnicate'], 'gpu-ferry doctor: unknown option --frobnicate'],
    [['vm', 'list', '--frob'], 'gpu-ferry vm list: unknown option --frob'],
    [['serve', '--frob'], 'gpu-ferry serve: unknown option --frob'],
    [['vm', 'list', '--connect'], 'gpu-ferry vm list: --connect needs a value'],
    [['vm', 'create', 'w', '--yes=1'], 'gpu-ferry vm create: --yes takes no value'],
  ])('%j', (args, message) => {
    const run = runCli(args);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stderr).not.toMatch(/positional|To specify/);
  });
});

describe('doctor', { timeout: 60_000 }, () => {
  it('reads a handoff config folder without an EISDIR note, and keeps the config', () => {
    const root = tempDir('gf-eisdir-');
    mkdirSync(path.join(root, 'etc/gpu-ferry/vms'), { recursive: true });
    writeFileSync(path.join(root, 'etc/gpu-ferry/vms/win11.conf'), 'FORMAT=gpu-ferry-handoff/1\nVM=win11\n');
    const doctor = runCli(['doctor', '--root', root]);
    expect(doctor.status).toBe(0);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/EISDIR|cannot read \/etc\/gpu-ferry/);
    const scan = JSON.parse(runCli(['scan', '--root', root]).stdout) as { files: Record<string, string>; notes: string[] };
    expect(scan.files['/etc/gpu-ferry/vms/win11.conf']).toContain('VM=win11');
    expect(scan.notes.join(' ')).not.toMatch(/EISDIR/);
  });

  it('names only the person running it in the group check (their login uid); as root alone nobody', () => {
    const root = tempDir('gf-users-');
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    mkdirSync(path.join(root, 'proc/self'), { recursive: true });
    writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/bash\ncloudsdk:x:1000:1000::/home/cloudsdk:/bin/bash\nalex:x:1001:1001::/home/alex:/bin/bash\n');
    writeFileSync(path.join(root, 'etc/group'), 'kvm:x:36:alex\n');
    const groupsCheck = () => (JSON.parse(runCli(['doctor', '--root', root, '--json']).stdout) as DoctorReport).checks.find((c) => c.id === 'user-groups');
    writeFileSync(path.join(root, 'proc/self/loginuid'), '1001');
    expect(groupsCheck()?.message).toBe('alex is not in the libvirt group.'); // sudo keeps the login uid: alex, not cloudsdk
    writeFileSync(path.join(root, 'proc/self/loginuid'), '4294967295');
    expect(groupsCheck()).toBeUndefined(); // root with no login behind it: nobody is named
    writeFileSync(path.join(root, 'proc/self/loginuid'), '0');
    expect(groupsCheck()).toBeUndefined();
  });
});

describe('a new VM usable from the first boot', { timeout: 60_000 }, () => {
  it('vm inputs lists the keyboards and mice by their names', () => {
    const run = runCli(['vm', 'inputs', '--host', fixture('nvidia-only-desktop')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('046a:0011  Cherry USB Keyboard (keyboard)');
    expect(run.stdout).toContain('046d:c077  Logitech USB Optical Mouse (mouse)');
    expect(run.stdout).not.toContain('root hub');
    expect(run.stdout).toContain('/dev/input/by-id/usb-Cherry_USB_Keyboard-event-kbd  Cherry USB Keyboard (keyboard)');
  });

  it('single GPU: the USB keyboard and mouse chosen, no SPICE screen (the GPU monitor is the screen)', () => {
    const run = runCli(['vm', 'create', 'win', '--host', fixture('nvidia-only-desktop'), '--gpu', '0000:0a:00.0', '--usb', '046a:0011', '--usb', '046d:c077', '--connect', 'test:///default']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("<vendor id='0x046a'/>");
    expect(run.stdout).toContain("<product id='0xc077'/>");
    expect(run.stdout).not.toContain('<graphics');
    expect(run.stdout + run.stderr).not.toMatch(/no keyboard or mouse/);
  });

  it('two GPUs: SPICE, QXL and the SPICE channel Looking Glass uses; evdev with the chosen grab toggle', () => {
    const run = runCli([
      'vm', 'create', 'win', '--host', fixture('intel-igpu-nvidia'), '--gpu', '0000:01:00.0', '--keyboard', '/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd',
      '--grab-toggle', 'scrolllock', '--connect', 'test:///default',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain("<graphics type='spice'");
    expect(run.stdout).toContain("<model type='qxl'");
    expect(run.stdout).toContain("name='com.redhat.spice.0'");
    expect(run.stdout).toContain("grabToggle='scrolllock'");
  });

  it('refuses a bad USB id or grab toggle with the expected form', () => {
    const usb = runCli(['vm', 'create', 'win', '--host', fixture('intel-igpu-nvidia'), '--usb', 'logitech', '--connect', 'test:///default']);
    expect([usb.status, usb.stderr.split('\n')[0]]).toEqual([2, expect.stringContaining('vendor:product, four hex digits each')]);
    const toggle = runCli(['vm', 'create', 'win', '--host', fixture('intel-igpu-nvidia'), '--grab-toggle', 'f12', '--connect', 'test:///default']);
    expect([toggle.status, toggle.stderr.split('\n')[0]]).toEqual([2, expect.stringContaining('--grab-toggle is one of ctrl-ctrl, alt-alt')]);
  });
});

describe('looking-glass: the Windows checklist fits the GPU', { timeout: 60_000 }, () => {
  it('a laptop GPU without outputs gets a virtual display, not a dummy plug; a desktop card gets the plug', () => {
    const laptop = runCli(['looking-glass', 'status', '--host', fixture('optimus-laptop')]);
    expect(laptop.stdout).toContain('Add a virtual display in Windows');
    expect(laptop.stdout).not.toMatch(/dummy plug/);
    const desktop = runCli(['looking-glass', 'status', '--host', fixture('intel-igpu-nvidia')]);
    expect(desktop.stdout).toMatch(/dummy plug/);
  });
});

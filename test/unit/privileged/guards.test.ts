// The guards root applies to every plan it computed (electron/privileged/guards.ts), each attack class of
// the security review as the plan a buggy planner (or a hostile scan) could make: root refuses it. The
// black-box side (requests trying these through the real program) is test/helper/attacks.test.ts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import { guardPlan } from '../../../electron/privileged/guards';
import { goalList } from '../../../shared/plan/goals.registry';
import { emptyPlan, type Plan, type Step } from '../../../shared/plan/model';
import { readdirSync } from 'node:fs';
import { refusalOf, writeFileStep } from './refusal';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
let loaded: LoadedHost;
beforeAll(async () => {
  loaded = await loadHost({ host: path.join(HOSTS, 'gpu-shared-group.host.json') });
});
afterAll(async () => loaded.cleanup());

const plan = (...steps: Step[]): Plan => ({ ...emptyPlan('test', 'test'), steps });
const refusal = (p: Plan): string | null => refusalOf(loaded.model, p)?.code ?? null;
const edit = (file: string, before: string, after: string): Step => ({ kind: 'edit-file', path: file, before, after, reason: 'r' });
const write = writeFileStep;
const run = (...argv: string[]): Step => ({ kind: 'run', argv, reason: 'r' });

describe('guards at root', () => {
  it('every plan every goal makes on every fixture passes them', async () => {
    let checked = 0;
    for (const file of readdirSync(HOSTS).filter((f) => f.endsWith('.host.json'))) {
      const host = await loadHost({ host: path.join(HOSTS, file) });
      try {
        for (const goal of goalList)
          for (const options of goal.examples(host.model)) {
            const p = goal.plan(host.model, goal.options.parse(options));
            expect(() => guardPlan(host.model, p), `${file} ${goal.name}`).not.toThrow();
            checked++;
          }
      } finally {
        await host.cleanup();
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('a carriage return ends a "comment" for systemd and libvirt: no control character but tab and newline', () => {
    expect(refusal(plan(write('/etc/tmpfiles.d/gpu-ferry-looking-glass.conf', '# note\rf /etc/sudoers.d/x 0440 root root - x\n')))).toBe('content-not-allowed');
    expect(refusal(plan(write('/etc/sysctl.d/gpu-ferry-hugepages.conf', '# x\rkernel.core_pattern = |/tmp/x\nvm.nr_hugepages = 1\n')))).toBe('content-not-allowed');
    expect(refusal(plan(edit('/etc/libvirt/qemu.conf', '#user = "qemu"\n', '#user = "qemu"\n# x\ruser = "root"\n')))).toBe('content-not-allowed');
    expect(refusal(plan(write('/etc/gpu-ferry/vms/a.conf', 'VM=a\u0000b\n')))).toBe('content-not-allowed');
  });

  it('/etc/kernel/cmdline has no comments: a # line is kernel parameters there', () => {
    expect(refusal(plan(edit('/etc/kernel/cmdline', 'root=UUID=1 quiet\n', 'root=UUID=1 quiet\n# init=/bin/sh\n')))).toBe('content-not-allowed');
    expect(refusal(plan(edit('/etc/kernel/cmdline', 'root=UUID=1 quiet\n', 'root=UUID=1 quiet init=/bin/sh\n')))).toBe('content-not-allowed');
    expect(refusal(plan(edit('/etc/kernel/cmdline', 'root=UUID=1 quiet\n', 'root=UUID=1 quiet iommu=pt\n')))).toBeNull();
  });

  it('#include in an AppArmor abstraction is a directive, never an inert comment', () => {
    const file = '/etc/apparmor.d/local/abstractions/libvirt-qemu';
    expect(refusal(plan(write(file, '#include "/home/u/evil"\n/dev/kvmfr0 rw,\n')))).toBe('content-not-allowed');
    expect(refusal(plan(write(file, '# include <abstractions/x>\n')))).toBe('content-not-allowed');
    expect(refusal(plan(write(file, 'include "/home/u/evil"\n')))).toBe('content-not-allowed');
    expect(refusal(plan(write(file, '# Added by GPU Ferry for Looking Glass.\n/dev/kvmfr0 rw,\n')))).toBeNull();
  });

  it('GRUB defaults: only known parameters added or removed, no blank or quote moved', () => {
    const before = 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n';
    const grub = (after: string) => refusal(plan(edit('/etc/default/grub', before, after)));
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet iommu=pt"\n')).toBeNull();
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet" iommu=pt\n')).toBe('content-not-allowed'); // runs `iommu=pt` when sourced? no: but a word outside the quotes
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet" iommu=pt reboot\n')).toBe('content-not-allowed'); // a program run when sourced
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"iommu=pt\n')).toBe('content-not-allowed');
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT= "quiet"\n')).toBe('content-not-allowed');
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet $(id)"\n')).toBe('content-not-allowed');
    expect(grub('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet init=/bin/sh"\n')).toBe('content-not-allowed');
    expect(grub('GRUB_DEFAULT=1\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n')).toBe('content-not-allowed'); // the rest stays byte for byte
  });

  it('huge pages: at most 75% of RAM', () => {
    const total = loaded.model.memory.MemTotal!;
    const page = loaded.model.memory.Hugepagesize!;
    const all = Math.floor(total / page);
    expect(refusal(plan(write('/etc/sysctl.d/gpu-ferry-hugepages.conf', `vm.nr_hugepages = ${all}\n`)))).toBe('hugepages-too-many');
    expect(refusal(plan(run('sysctl', '-w', `vm.nr_hugepages=${all}`)))).toBe('hugepages-too-many');
    expect(refusal(plan(write('/etc/sysctl.d/gpu-ferry-hugepages.conf', `vm.nr_hugepages = ${Math.floor(all / 2)}\n`)))).toBeNull();
  });

  it('vfio-pci: only a GPU display or audio function or its group peers, never another device', () => {
    const conf = '/etc/modprobe.d/gpu-ferry-vfio.conf';
    expect(refusal(plan(write(conf, 'options vfio-pci ids=10de:1c03,10de:10f1\n')))).toBeNull();
    // The SATA controller and the NIC are the GPU's group peers here: allowed only with the GPU itself.
    expect(refusal(plan(write(conf, 'options vfio-pci ids=1022:43c8\n')))).toBe('device-not-allowed');
    expect(refusal(plan(write(conf, 'options vfio-pci ids=144d:a808\n')))).toBe('device-not-allowed'); // the NVMe, another group
    expect(refusal(plan(edit('/etc/default/grub', 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n', 'GRUB_CMDLINE_LINUX_DEFAULT="quiet vfio-pci.ids=144d:a808"\n')))).toBe('device-not-allowed');
  });

  it('files only at paths the goals own; removing only GPU Ferry files; root-owned, not group-writable', () => {
    expect(refusal(plan(write('/etc/sudoers.d/x', 'x\n')))).toBe('path-not-allowed');
    expect(refusal(plan(write('/etc/modprobe.d/../sudoers', 'x\n')))).toBe('path-not-allowed');
    expect(refusal(plan(write('/var/lib/gpu-ferry/journal/x/plan.json', '{}')))).toBe('path-not-allowed');
    expect(refusal(plan({ kind: 'remove-file', path: '/etc/default/grub', before: 'x', reason: 'r' }))).toBe('remove-not-allowed');
    expect(refusal(plan(write('/etc/modprobe.d/gpu-ferry-kvmfr.conf', 'options kvmfr static_size_mb=64\n', { owner: 'nobody' })))).toBe('owner-not-allowed');
    expect(refusal(plan(write('/etc/modprobe.d/gpu-ferry-kvmfr.conf', 'options kvmfr static_size_mb=64\n', { mode: 0o666 })))).toBe('mode-not-allowed');
    expect(refusal(plan(write('/etc/libvirt/hooks/qemu.d/gpu-ferry', '#!/bin/sh\nid\n', { mode: 0o755 })))).toBe('content-not-allowed');
  });

  it('commands only as the planners run them, kernel parameters only from the known set', () => {
    expect(refusal(plan(run('sh', '-c', 'id')))).toBe('command-not-allowed');
    expect(refusal(plan(run('systemd-tmpfiles', '--create', '/etc/tmpfiles.d/other.conf')))).toBe('command-not-allowed');
    expect(refusal(plan(run('grubby', '--update-kernel=ALL', '--args=init=/bin/sh')))).toBe('command-not-allowed');
    expect(refusal(plan(run('kernelstub', '-a', 'iommu=pt')))).toBeNull();
    expect(refusal(plan({ kind: 'run', argv: ['kernelstub', '-a', 'iommu=pt'], undo: { argv: ['rm', '-rf', '/'] }, reason: 'r' }))).toBe('command-not-allowed');
    expect(refusal(plan({ kind: 'unit', action: 'stop', unit: 'sshd.service', reason: 'r' }))).toBe('command-not-allowed');
    expect(refusal(plan({ kind: 'module-load', module: 'kvmfr', params: ['static_size_mb=64', 'x=1'], reason: 'r' }))).toBe('command-not-allowed');
  });
});

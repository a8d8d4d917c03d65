// The TypeScript reading of allowlist.conf gives the same verdict as the helper for a spread of probes:
// paths, programs and arguments, file content (line, token and same rules), owners and modes, units, modules.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowlistVerdict, parseAllowlist } from '../../shared/plan/allowlist';
import { encodePlan } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { errorCode, helper, makeTree, removeTree } from './lib';

const list = parseAllowlist(readFileSync(path.resolve(__dirname, '../../resources/helper/allowlist.conf'), 'utf8'));
const reference = (name: string): string => readFileSync(path.resolve(__dirname, '../../resources', name), 'utf8');
const GRUB = 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_TIMEOUT=5\n';
// Every parent directory exists, so the helper reaches its content checks.
const root = makeTree({
  'etc/modprobe.d/.keep': '', 'etc/mkinitcpio.d/x/.keep': '', 'efi/loader/entries/.keep': '', 'boot/.keep': '',
  'etc/libvirt/hooks/qemu.d/.keep': '', 'var/lib/gpu-ferry/a/.keep': '', 'etc/tmpfiles.d/.keep': '',
  'etc/udev/rules.d/.keep': '', 'usr/libexec/gpu-ferry/.keep': '', 'etc/gpu-ferry/vms/.keep': '', 'etc/default/grub': GRUB,
});
afterAll(() => removeTree(root));

const ALLOWLIST_CODES = ['path-not-allowed', 'program-not-allowed', 'arguments-not-allowed', 'bad-argument', 'path-traversal',
  'content-not-allowed', 'reference-missing', 'owner-not-allowed', 'group-not-allowed', 'mode-not-allowed', 'unit-not-allowed',
  'module-not-allowed', 'step-kind-not-allowed', 'remove-not-allowed'];
const write = (p: string, content = 'x', extra: Partial<Step> = {}): Step =>
  ({ kind: 'write-file', path: p, content, mode: 0o644, owner: 'root', group: 'root', reason: 'probe', ...extra }) as Step;
const files = ['/etc/modprobe.d/gpu-ferry-a.conf', '/etc/modprobe.d/other.conf', '/etc/mkinitcpio.d/linux.preset', '/etc/mkinitcpio.d/x/linux.preset', '/efi/loader/entries/arch.conf', '/boot/refind_linux.conf', '/etc/libvirt/hooks/qemu.d/gpu-ferry', '/etc/libvirt/hooks/qemu', '/var/lib/gpu-ferry/a/b', '/var/lib/gpu-ferry/journal/x/files', '/var/lib/other', '/etc/tmpfiles.d/gpu-ferry-lg.conf', '/etc/passwd'];
const runs = [['grub2-mkconfig', '-o', '/boot/grub2/grub.cfg'], ['grub2-mkconfig', '-o', '/boot/efi/EFI/fedora/grub.cfg'], ['rpm-ostree', 'kargs', '--append=intel_iommu=on'], ['rpm-ostree', 'install', 'x'], ['systemctl', 'restart', 'libvirtd.service'], ['systemctl', 'poweroff'], ['mkinitcpio', '-P'], ['kernelstub', '-a', 'iommu=pt'], ['kernelstub', '-a', 'init=/bin/sh'], ['virsh', 'define', '/tmp/x.xml'], ['curl', 'x'], ['booster', 'build', '--force', '/etc/shadow'], ['booster', 'build', '--force', '--kernel-version', '6.12.4-zen1-1-zen', '/boot/booster-linux-zen.img'], ['udevadm', 'trigger', '--action=remove'], ['udevadm', 'control', '--reload'], ['sysctl', '-w', 'vm.nr_hugepages=0'], ['sysctl', '-w', 'kernel.modprobe=/tmp/x']];
const probes: Step[] = [
  ...files.map((p): Step => write(p)),
  ...runs.map((argv): Step => ({ kind: 'run', argv, reason: 'probe' })),
  // A run step's inverse command is checked like the command itself.
  ...runs.map((argv): Step => ({ kind: 'run', argv: ['kernelstub', '-a', 'iommu=pt'], undo: { argv }, reason: 'probe' })),
  { kind: 'run', argv: ['mkinitcpio', '-P'], undo: 'rerun', reason: 'probe' },
  write('/etc/modprobe.d/gpu-ferry-vfio.conf', '# ok\noptions vfio-pci ids=10de:2206,10de:1aef\nsoftdep nouveau pre: vfio-pci\n', { before: null }),
  write('/etc/modprobe.d/gpu-ferry-vfio.conf', 'install vfio-pci /bin/sh -c id\n', { before: null }),
  write('/etc/modprobe.d/gpu-ferry-vfio.conf', '# comment \\\ninstall vfio-pci id\n', { before: null }),
  write('/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules', 'SUBSYSTEM=="kvmfr", OWNER="alex", GROUP="kvm", MODE="0660"\n', { before: null }),
  write('/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules', 'SUBSYSTEM=="kvmfr", RUN+="/bin/sh -c id"\n', { before: null }),
  write('/etc/tmpfiles.d/gpu-ferry-looking-glass.conf', 'w+ /etc/sudoers.d/x - - - - nobody ALL=(ALL) NOPASSWD: ALL\n', { before: null }),
  write('/etc/gpu-ferry/vms/a.conf', 'FORMAT=gpu-ferry-handoff/1\nVM=a\nDISPLAY_MANAGER=debug-shell.service\n', { before: null }),
  write('/etc/libvirt/hooks/qemu.d/gpu-ferry', '#!/bin/sh\nid\n', { before: null, mode: 0o755 }),
  write('/etc/libvirt/hooks/qemu.d/gpu-ferry', reference('hooks/gpu-ferry'), { before: null, mode: 0o755 }),
  write('/etc/libvirt/hooks/qemu.d/gpu-ferry', reference('hooks/gpu-ferry'), { before: null, mode: 0o777 }),
  write('/etc/libvirt/hooks/qemu.d/gpu-ferry', reference('hooks/gpu-ferry'), { before: null, mode: 0o755, owner: 'nobody' }),
  write('/usr/libexec/gpu-ferry/gpu-ferry-handoff-x', '#!/bin/sh\n', { before: null }),
  { kind: 'edit-file', path: '/etc/default/grub', before: GRUB, after: GRUB.replace('quiet', 'quiet intel_iommu=on iommu=pt'), reason: 'probe' },
  { kind: 'edit-file', path: '/etc/default/grub', before: GRUB, after: GRUB.replace('quiet', 'quiet init=/bin/sh'), reason: 'probe' },
  { kind: 'edit-file', path: '/etc/default/grub', before: GRUB, after: `${GRUB}$(id)\n`, reason: 'probe' },
  { kind: 'remove-file', path: '/etc/default/grub', before: GRUB, reason: 'probe' },
  { kind: 'unit', action: 'restart', unit: 'libvirtd.service', reason: 'probe' },
  { kind: 'unit', action: 'start', unit: 'debug-shell.service', reason: 'probe' },
  { kind: 'unit', action: 'stop', unit: 'libvirtd.service', reason: 'probe' },
  { kind: 'module-load', module: 'kvmfr', params: ['static_size_mb=64'], reason: 'probe' },
  { kind: 'module-load', module: 'dccp', reason: 'probe' },
  { kind: 'module-load', module: 'vfio_iommu_type1', params: ['allow_unsafe_interrupts=1'], reason: 'probe' },
  { kind: 'module-unload', module: 'nvidia', reason: 'probe' },
  { kind: 'sysfs-write', device: '0000:0a:00.0', attribute: 'remove', value: '1', reason: 'probe' },
];

describe('allowlist: TypeScript and the helper agree', () => {
  it.each(probes.map((p, i) => [`${i} ${p.kind} ${JSON.stringify(p.kind === 'run' ? p.argv : ((p as { path?: string; unit?: string; module?: string }).path ?? (p as { unit?: string }).unit ?? (p as { module?: string }).module ?? ''))}`, p] as const))('%s', (_label, step) => {
    const r = helper(['--root', root, 'check'], encodePlan({ goal: 'probe', title: 'probe', steps: [step] }));
    const code = errorCode(r);
    const helperVerdict = code !== undefined && ALLOWLIST_CODES.includes(code) ? code : null;
    expect(allowlistVerdict(list, step, reference), r.stdout + r.stderr).toBe(helperVerdict);
  });

  it('the probes include both verdicts for content, units and modules', () => {
    const verdicts = probes.map((s) => allowlistVerdict(list, s, reference));
    for (const code of ['content-not-allowed', 'unit-not-allowed', 'module-not-allowed', 'mode-not-allowed', 'owner-not-allowed', 'arguments-not-allowed', 'step-kind-not-allowed']) {
      expect(verdicts, code).toContain(code);
    }
    expect(verdicts.filter((v) => v === null).length).toBeGreaterThan(8);
  });
});

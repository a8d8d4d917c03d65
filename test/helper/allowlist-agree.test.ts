// The TypeScript reading of allowlist.conf gives the same verdict as the helper for a spread of probes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowlistVerdict, parseAllowlist } from '../../shared/plan/allowlist';
import { encodePlan } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { errorCode, helper, makeTree, removeTree } from './lib';

const list = parseAllowlist(readFileSync(path.resolve(__dirname, '../../resources/helper/allowlist.conf'), 'utf8'));
const root = makeTree({});
afterAll(() => removeTree(root));

const ALLOWLIST_CODES = ['path-not-allowed', 'program-not-allowed', 'arguments-not-allowed', 'bad-argument', 'path-traversal'];
const files = ['/etc/modprobe.d/gpu-ferry-a.conf', '/etc/modprobe.d/other.conf', '/etc/mkinitcpio.d/linux.preset', '/etc/mkinitcpio.d/x/linux.preset', '/efi/loader/entries/arch.conf', '/boot/refind_linux.conf', '/etc/libvirt/hooks/qemu.d/gpu-ferry', '/etc/libvirt/hooks/qemu', '/var/lib/gpu-ferry/a/b', '/var/lib/gpu-ferry/journal/x/files', '/var/lib/other', '/etc/tmpfiles.d/gpu-ferry-lg.conf', '/etc/passwd'];
const runs = [['grub2-mkconfig', '-o', '/boot/grub2/grub.cfg'], ['grub2-mkconfig', '-o', '/boot/efi/EFI/fedora/grub.cfg'], ['rpm-ostree', 'kargs', '--append=intel_iommu=on'], ['rpm-ostree', 'install', 'x'], ['systemctl', 'restart', 'libvirtd.service'], ['systemctl', 'poweroff'], ['mkinitcpio', '-P'], ['kernelstub', '-a', 'iommu=pt'], ['virsh', 'define', '/tmp/x.xml'], ['curl', 'x']];
const probes: Step[] = [
  ...files.map((p): Step => ({ kind: 'write-file', path: p, content: 'x', mode: 0o644, owner: 'root', group: 'root', reason: 'probe' })),
  ...runs.map((argv): Step => ({ kind: 'run', argv, reason: 'probe' })),
];

describe('allowlist: TypeScript and the helper agree', () => {
  it.each(probes.map((p) => [JSON.stringify(p.kind === 'run' ? p.argv : (p as { path: string }).path), p] as const))('%s', (_label, step) => {
    const r = helper(['--root', root, 'check'], encodePlan({ goal: 'probe', title: 'probe', steps: [step] }));
    const code = errorCode(r);
    const helperVerdict = code !== undefined && ALLOWLIST_CODES.includes(code) ? code : null;
    expect(allowlistVerdict(list, step)).toBe(helperVerdict);
  });
});

// Bootloader paths the distro fixtures do not cover, on a scanned fixture with its files changed.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import type { HostModel } from '../../../shared/host/model';
import type { Step } from '../../../shared/plan/model';
import { planIommu } from '../../../shared/setup/plan-iommu';

let loaded: LoadedHost;
beforeAll(async () => {
  loaded = await loadHost({
    host: path.resolve(__dirname, '../../fixtures/hosts/distro-endeavouros.host.json'),
  });
});
afterAll(async () => loaded.cleanup());

const host = (patch: (m: HostModel) => void): HostModel => {
  const m = structuredClone(loaded.model);
  patch(m);
  return m;
};
const after = (steps: Step[], p: string): string | undefined => {
  const s = steps.find((x) => (x.kind === 'edit-file' || x.kind === 'write-file') && x.path === p);
  return s?.kind === 'edit-file' ? s.after : s?.kind === 'write-file' ? s.content : undefined;
};

describe('GRUB', () => {
  it('adds the variable when /etc/default/grub has none, keeping the file as it is', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'grub', evidence: [], espPath: null, uki: false };
      h.files['/etc/default/grub'] = 'GRUB_TIMEOUT=5\n# GRUB_CMDLINE_LINUX_DEFAULT="quiet"';
    });
    expect(after(planIommu(m).steps, '/etc/default/grub')).toBe(
      'GRUB_TIMEOUT=5\n# GRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX_DEFAULT="iommu=pt"\n',
    );
  });

  it('counts a parameter already in GRUB_CMDLINE_LINUX', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'grub', evidence: [], espPath: null, uki: false };
      h.files['/etc/default/grub'] = 'GRUB_CMDLINE_LINUX="iommu=pt"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n';
    });
    expect(planIommu(m).steps).toEqual([]);
  });

  it('says clearly when /etc/default/grub is missing', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'grub', evidence: [], espPath: null, uki: false };
      delete h.files['/etc/default/grub'];
    });
    expect(() => planIommu(m)).toThrow(/\/etc\/default\/grub is missing/);
  });
});

describe('Limine without /etc/default/limine', () => {
  it('edits every cmdline line of limine.conf and regenerates nothing', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'limine', evidence: [], espPath: '/boot', uki: false };
      h.files['/boot/limine.conf'] =
        'timeout: 3\n/Arch\n    protocol: linux\n    cmdline: root=UUID=1 rw quiet\n/Arch (fallback)\n    CMDLINE: root=UUID=1 rw\n';
    });
    const { steps } = planIommu(m);
    expect(steps.map((s) => s.kind)).toEqual(['edit-file']);
    expect(after(steps, '/boot/limine.conf')).toBe(
      'timeout: 3\n/Arch\n    protocol: linux\n    cmdline: root=UUID=1 rw quiet iommu=pt\n/Arch (fallback)\n    CMDLINE: root=UUID=1 rw iommu=pt\n',
    );
  });
});

describe('systemd-boot type 1 entries', () => {
  it('adds an options line to a Linux entry without one and leaves chainload entries alone', () => {
    const entry = '/efi/loader/entries/2f6a0d3c8e1b4c5a9d7e3f1a2b4c6d8e-6.11.9-arch1-1.conf';
    const m = host((h) => {
      h.files[entry] = 'title Arch\nlinux /vmlinuz-linux\ninitrd /initramfs-linux.img';
    });
    const { steps } = planIommu(m);
    expect(after(steps, entry)).toBe(
      'title Arch\nlinux /vmlinuz-linux\ninitrd /initramfs-linux.img\noptions iommu=pt\n',
    );
    expect(steps.some((s) => 'path' in s && s.path.endsWith('windows.conf'))).toBe(false);
  });
});

describe('kernelstub', () => {
  it('says clearly when its configuration is not JSON', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'kernelstub', evidence: [], espPath: null, uki: false };
      h.files['/etc/kernelstub/configuration'] = '{ not json';
    });
    expect(() => planIommu(m)).toThrow(/\/etc\/kernelstub\/configuration is not valid JSON/);
  });

  it('removes a conflicting value before adding the new one', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'kernelstub', evidence: [], espPath: null, uki: false };
      h.files['/etc/kernelstub/configuration'] = JSON.stringify({
        user: { kernel_options: ['quiet', 'iommu=soft'] },
      });
    });
    expect(planIommu(m).steps.map((s) => (s.kind === 'run' ? s.argv.join(' ') : s.kind))).toEqual([
      'kernelstub -d iommu=soft',
      'kernelstub -a iommu=pt',
    ]);
  });
});

describe('parameters that keep the IOMMU off', () => {
  it('takes amd_iommu=off out while adding iommu=pt', () => {
    const m = host((h) => {
      h.bootloader = { kind: 'grub', evidence: [], espPath: null, uki: false };
      h.files['/etc/default/grub'] = 'GRUB_CMDLINE_LINUX_DEFAULT="quiet amd_iommu=off splash"\n';
    });
    expect(after(planIommu(m).steps, '/etc/default/grub')).toBe(
      'GRUB_CMDLINE_LINUX_DEFAULT="quiet splash iommu=pt"\n',
    );
  });
});

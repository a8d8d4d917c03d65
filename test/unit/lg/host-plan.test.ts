import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostModel } from '../../../shared/host/model';
import type { Plan, Step } from '../../../shared/plan/model';
import { goalsByName } from '../../../shared/plan/goals.registry';
import { planLookingGlass } from '../../../shared/lg/host-plan';
import { lookingGlassOptions } from '../../../shared/lg/options';
import { effectiveDeviceAcl } from '../../../shared/lg/qemu-conf';
import { fixtureHost } from './load-fixture';

const HOSTS = ['lg-arch', 'lg-fedora', 'lg-ubuntu'] as const;
const hosts = new Map<string, HostModel>();
beforeAll(async () => {
  for (const name of HOSTS) hosts.set(name, await fixtureHost(name));
});
const host = (name: (typeof HOSTS)[number]): HostModel => {
  const h = hosts.get(name);
  if (!h) throw new Error(`fixture ${name} not loaded`);
  return h;
};

const kvmfr = lookingGlassOptions.parse({ vm: 'win11', resolution: '2560x1440' });
const shm = lookingGlassOptions.parse({ vm: 'win11', resolution: '3840x2160', hdr: true, shm: true });

it('refuses a VM name that no VM can have (control characters reach the plan title and the journal list)', () => {
  const bad = lookingGlassOptions.safeParse({ vm: 'x\u001b]0;pwned\u0007\nforged line', resolution: '1920x1080' });
  expect(bad.success).toBe(false);
  if (!bad.success) expect(bad.error.issues[0]?.message).toMatch(/control characters/);
  expect(lookingGlassOptions.safeParse({ vm: 'Win 11 "Jeux vidéo"' }).success).toBe(true);
});

/** Golden files: regenerate with UPDATE_GOLDEN=1 and review the diff. */
function matchesGolden(name: string, plan: Plan): void {
  const file = new URL(`./golden/${name}.plan.json`, import.meta.url);
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const stepFor = (plan: Plan, path: string): Step | undefined => plan.steps.find((s) => 'path' in s && s.path === path);
const contentOf = (step: Step | undefined): string | undefined =>
  step?.kind === 'write-file' ? step.content : step?.kind === 'edit-file' ? step.after : undefined;

/** The host after the plan's file steps, with the module loaded: what a rescan would see. */
function applied(h: HostModel, plan: Plan): HostModel {
  const files = { ...h.files };
  for (const s of plan.steps) {
    const content = contentOf(s);
    if (content !== undefined && 'path' in s) files[s.path] = content;
  }
  const qemuConf = files['/etc/libvirt/qemu.conf'] ?? h.libvirt.qemuConf;
  return { ...h, files, libvirt: { ...h.libvirt, qemuConf }, lookingGlass: { ...h.lookingGlass, kvmfrLoaded: h.lookingGlass.kvmfrAvailable } };
}

describe('looking-glass goal: golden plans', () => {
  for (const name of HOSTS) {
    it(`${name}: kvmfr 2560x1440`, () => matchesGolden(`${name}-kvmfr`, planLookingGlass(host(name), kvmfr)));
    it(`${name}: shm 3840x2160 HDR`, () => matchesGolden(`${name}-shm`, planLookingGlass(host(name), shm)));
  }
});

describe('looking-glass goal: what each distro gets', () => {
  it('Arch (no AppArmor, kvmfr built but not loaded): 64 MiB module, udev rule, qemu.conf, libvirtd restart', () => {
    const plan = planLookingGlass(host('lg-arch'), kvmfr);
    expect(contentOf(stepFor(plan, '/etc/modprobe.d/gpu-ferry-kvmfr.conf'))).toContain('options kvmfr static_size_mb=64\n');
    expect(contentOf(stepFor(plan, '/etc/modules-load.d/gpu-ferry-kvmfr.conf'))).toMatch(/^kvmfr$/m);
    expect(contentOf(stepFor(plan, '/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules'))).toContain('SUBSYSTEM=="kvmfr", OWNER="alex", GROUP="kvm", MODE="0660"');
    const conf = contentOf(stepFor(plan, '/etc/libvirt/qemu.conf'));
    expect(effectiveDeviceAcl(conf ?? null)).toEqual(['/dev/null', '/dev/full', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/ptmx', '/dev/kvm', '/dev/kvmfr0']);
    expect(plan.steps.some((s) => 'path' in s && s.path.includes('apparmor'))).toBe(false);
    expect(plan.steps).toContainEqual(expect.objectContaining({ kind: 'module-load', module: 'kvmfr', params: ['static_size_mb=64'] }));
    expect(plan.steps.at(-1)).toMatchObject({ kind: 'unit', action: 'restart', unit: 'libvirtd.service' });
    expect(plan.warnings).toEqual([]);
  });

  it('Fedora (SELinux, virtqemud, no kvmfr): keeps the user\'s evdev entries, says how to get kvmfr, no module load', () => {
    const h = host('lg-fedora');
    const plan = planLookingGlass(h, kvmfr);
    const step = stepFor(plan, '/etc/libvirt/qemu.conf');
    expect(step?.kind).toBe('edit-file');
    expect(effectiveDeviceAcl(contentOf(step) ?? null)).toEqual([...effectiveDeviceAcl(h.libvirt.qemuConf), '/dev/kvmfr0']);
    expect(effectiveDeviceAcl(h.libvirt.qemuConf)).toContain('/dev/input/by-id/usb-Keychron_K2-event-kbd');
    expect(plan.steps.find((s) => s.kind === 'module-load')).toBeUndefined();
    expect(plan.steps.some((s) => 'path' in s && s.path.includes('apparmor'))).toBe(false);
    expect(plan.steps).toContainEqual(expect.objectContaining({ kind: 'unit', action: 'restart', unit: 'virtqemud.service' }));
    expect(plan.warnings.join('\n')).toMatch(/kvmfr kernel module is not installed.*dnf install dkms kernel-devel.*dkms install/);
    expect(plan.warnings.join('\n')).toMatch(/SELinux/);
    expect(plan.warnings.join('\n')).toMatch(/looking-glass-client is not installed/);
  });

  it('Ubuntu (AppArmor, kvmfr loaded): appends to the local abstraction keeping the user\'s line', () => {
    const h = host('lg-ubuntu');
    const plan = planLookingGlass(h, kvmfr);
    const step = stepFor(plan, '/etc/apparmor.d/local/abstractions/libvirt-qemu');
    expect(step?.kind).toBe('edit-file');
    const before = h.files['/etc/apparmor.d/local/abstractions/libvirt-qemu'] ?? '';
    expect(contentOf(step)?.startsWith(before)).toBe(true);
    expect(contentOf(step)).toMatch(/^\/dev\/kvmfr0 rw,$/m);
    expect(plan.steps).toContainEqual(expect.objectContaining({ kind: 'unit', action: 'restart', unit: 'apparmor.service' }));
    expect(plan.steps.find((s) => s.kind === 'module-load')).toBeUndefined();
    expect(plan.warnings.join('\n')).toMatch(/already loaded/);
    expect(contentOf(stepFor(plan, '/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules'))).toContain('OWNER="kim"');
  });

  it('shm: tmpfiles entry with owner, group and mode, no qemu.conf or module changes', () => {
    for (const name of HOSTS) {
      const plan = planLookingGlass(host(name), lookingGlassOptions.parse({ resolution: '1920x1080', shm: true, group: 'libvirt-qemu' }));
      const user = host(name).users[0]?.name;
      expect(contentOf(stepFor(plan, '/etc/tmpfiles.d/gpu-ferry-looking-glass.conf'))).toMatch(new RegExp(`^f /dev/shm/looking-glass 0660 ${user} libvirt-qemu -$`, 'm'));
      expect(stepFor(plan, '/etc/libvirt/qemu.conf')).toBeUndefined();
      expect(plan.steps.some((s) => s.kind === 'module-load' || s.kind === 'unit' && s.unit.startsWith('libvirt'))).toBe(false);
      expect(plan.steps).toContainEqual(expect.objectContaining({ kind: 'run', argv: ['systemd-tmpfiles', '--create', '/etc/tmpfiles.d/gpu-ferry-looking-glass.conf'] }));
      expect(Boolean(stepFor(plan, '/etc/apparmor.d/local/abstractions/libvirt-qemu'))).toBe(host(name).security.apparmor);
    }
  });

  it('is idempotent: once applied, planning again gives an empty plan', () => {
    for (const name of HOSTS) {
      for (const options of [kvmfr, shm]) {
        const h = host(name);
        const again = planLookingGlass(applied(h, planLookingGlass(h, options)), options);
        expect(again.steps).toEqual([]);
      }
    }
  });

  it('changing the resolution edits only the size', () => {
    const h = host('lg-arch');
    const at1440 = applied(h, planLookingGlass(h, kvmfr));
    const plan = planLookingGlass(at1440, lookingGlassOptions.parse({ resolution: '3840x2160' }));
    expect(plan.steps.map((s) => s.kind)).toEqual(['edit-file']);
    expect(contentOf(plan.steps[0])).toContain('static_size_mb=128');
    expect(plan.warnings.join()).toMatch(/already loaded/);
  });

  it('rejects bad options through the registry schema and unknown users clearly', () => {
    const goal = goalsByName().get('looking-glass');
    expect(goal).toBeDefined();
    expect(goal?.options.safeParse({ resolution: '2560by1440' }).success).toBe(false);
    expect(goal?.options.safeParse({ user: 'root;rm' }).success).toBe(false);
    expect(() => planLookingGlass(host('lg-arch'), lookingGlassOptions.parse({ user: 'nobody2' }))).toThrow(/No user "nobody2"/);
    expect(goal?.examples(host('lg-ubuntu')).length).toBe(2);
  });
});

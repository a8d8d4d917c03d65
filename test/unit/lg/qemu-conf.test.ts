import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addCgroupDevice, effectiveDeviceAcl, LIBVIRT_DEFAULT_DEVICE_ACL, QemuConfError } from '../../../shared/lg/qemu-conf';

// The real /etc/libvirt/qemu.conf of Debian 12 (libvirt-daemon-system 9.0.0-4+deb12u2).
const debian = readFileSync(new URL('../../fixtures/lg/debian12-qemu.conf', import.meta.url), 'utf8');
const DEBIAN_DEFAULTS = ['/dev/null', '/dev/full', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/ptmx', '/dev/kvm'];

/** Removes exactly one contiguous inserted chunk: returns the inserted text, checking the rest is the original. */
function insertedText(original: string, edited: string): string {
  let prefix = 0;
  while (prefix < original.length && original[prefix] === edited[prefix]) prefix += 1;
  let suffix = 0;
  while (suffix < original.length - prefix && original[original.length - 1 - suffix] === edited[edited.length - 1 - suffix]) suffix += 1;
  expect(prefix + suffix).toBe(original.length); // nothing of the original was removed or changed
  return edited.slice(prefix, edited.length - suffix);
}

describe('cgroup_device_acl merge on the real Debian 12 qemu.conf', () => {
  it('reads libvirt\'s defaults from the commented example', () => {
    expect(debian).toMatch(/^#cgroup_device_acl = \[/m);
    expect(effectiveDeviceAcl(debian)).toEqual(DEBIAN_DEFAULTS);
  });

  it('when commented out, writes every default plus /dev/kvmfr0 and changes nothing else', () => {
    const merged = addCgroupDevice(debian, '/dev/kvmfr0');
    expect(effectiveDeviceAcl(merged)).toEqual([...DEBIAN_DEFAULTS, '/dev/kvmfr0']);
    const block = /# Added by GPU Ferry[^\n]*\ncgroup_device_acl = \[\n[^\]]*\]\n/.exec(merged)?.[0] ?? '';
    expect(block).not.toBe('');
    expect(merged.replace(block, '')).toBe(debian); // nothing else changed
    // It lands right after the commented example, not at the end of the file.
    expect(merged.indexOf('cgroup_device_acl = [\n')).toBeGreaterThan(merged.indexOf('#cgroup_device_acl'));
    expect(merged.indexOf('cgroup_device_acl = [\n')).toBeLessThan(merged.indexOf('# RDMA migration requires'));
    expect(addCgroupDevice(merged, '/dev/kvmfr0')).toBe(merged); // idempotent
  });

  it('keeps every user edit and every entry of a list the user already set', () => {
    const userEdited = debian
      .replace('#user = "libvirt-qemu"', 'user = "alex"')
      .replace(
        /#cgroup_device_acl = \[\n# {4}"\/dev\/null", "\/dev\/full", "\/dev\/zero",\n# {4}"\/dev\/random", "\/dev\/urandom",\n# {4}"\/dev\/ptmx", "\/dev\/kvm"\n#\]/,
        'cgroup_device_acl = [\n    "/dev/null", "/dev/full", "/dev/zero",\n    "/dev/random", "/dev/urandom",\n    "/dev/ptmx", "/dev/kvm",\n    "/dev/input/by-id/usb-Logitech_keyboard-event-kbd"  # evdev passthrough\n]',
      );
    expect(userEdited).not.toBe(debian);
    expect(userEdited).toMatch(/^user = "alex"$/m);
    const merged = addCgroupDevice(userEdited, '/dev/kvmfr0');
    expect(insertedText(userEdited, merged)).toBe(',\n    "/dev/kvmfr0"');
    expect(effectiveDeviceAcl(merged)).toEqual([...DEBIAN_DEFAULTS, '/dev/input/by-id/usb-Logitech_keyboard-event-kbd', '/dev/kvmfr0']);
    expect(merged).toMatch(/^user = "alex"$/m);
  });

  it('a user who removed a default keeps it removed (their list is the truth)', () => {
    const conf = 'cgroup_device_acl = [ "/dev/null", "/dev/kvm" ]\n';
    expect(addCgroupDevice(conf, '/dev/kvmfr0')).toBe('cgroup_device_acl = [ "/dev/null", "/dev/kvm", "/dev/kvmfr0" ]\n');
  });

  it('keeps a trailing comma and handles an empty list', () => {
    expect(addCgroupDevice('cgroup_device_acl = [\n  "/dev/kvm",\n]\n', '/dev/kvmfr0')).toBe('cgroup_device_acl = [\n  "/dev/kvm",\n  "/dev/kvmfr0",\n]\n');
    expect(effectiveDeviceAcl(addCgroupDevice('cgroup_device_acl = []\n', '/dev/kvmfr0'))).toEqual(['/dev/kvmfr0']);
  });

  it('creates the setting in a missing or example-less file from libvirt\'s defaults', () => {
    expect(effectiveDeviceAcl(addCgroupDevice(null, '/dev/kvmfr0'))).toEqual([...LIBVIRT_DEFAULT_DEVICE_ACL, '/dev/kvmfr0']);
    const merged = addCgroupDevice('security_driver = "none"\n', '/dev/kvmfr0');
    expect(merged.startsWith('security_driver = "none"\n\n# Added by GPU Ferry')).toBe(true);
    expect(effectiveDeviceAcl(merged)).toEqual([...LIBVIRT_DEFAULT_DEVICE_ACL, '/dev/kvmfr0']);
  });

  it('refuses a file it cannot read safely, and bad device paths', () => {
    expect(() => addCgroupDevice('cgroup_device_acl = [ "/dev/kvm"\n', '/dev/kvmfr0')).toThrow(QemuConfError);
    expect(() => addCgroupDevice('cgroup_device_acl = "x"\n', '/dev/kvmfr0')).toThrow(/not a readable/);
    expect(() => addCgroupDevice('cgroup_device_acl = []\ncgroup_device_acl = []\n', '/dev/kvmfr0')).toThrow(/more than once/);
    expect(() => addCgroupDevice(debian, '/dev/../etc/shadow')).toThrow(/Not a device path/);
    expect(() => addCgroupDevice(debian, '/dev/kvmfr0"]\nuser="root')).toThrow(/Not a device path/);
  });
});

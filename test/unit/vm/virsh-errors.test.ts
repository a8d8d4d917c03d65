// Classification of virsh failures, on messages captured from libvirt 9.0 (the live cases are in
// test/libvirt/vm-virsh.test.ts; these pin the wording variants we cannot all provoke here).
import { describe, expect, it } from 'vitest';
import { virshError } from '../../../electron/system/virsh';

const classify = (stderr: string, code: number | null = 1) => virshError(['list'], { stdout: '', stderr, code }, 'qemu:///system');

describe('virshError', () => {
  it.each([
    ["error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory", 'daemon-down'],
    ["error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/virtqemud-sock': Connection refused", 'daemon-down'],
    ["error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied", 'permission'],
    ['error: failed to connect to the hypervisor\nerror: authentication unavailable: no polkit agent available to authenticate action \'org.libvirt.unix.manage\'', 'permission'],
    ['error: failed to connect to the hypervisor\nerror: internal error: Unable to get system bus connection: Could not connect: No such file or directory', 'permission'],
    ["error: access denied: 'nobody' (polkit)", 'permission'],
    ["error: failed to get domain 'win11'", 'no-domain'],
    ["error: Failed to start domain 'w'\nerror: Cannot access storage file '/tmp/x/disk.qcow2' (as uid:999, gid:995): Permission denied", 'failed'],
  ])('%s → %s', (stderr, kind) => {
    const error = classify(stderr);
    expect(error.kind).toBe(kind);
    expect(error.libvirtMessage).toBe(stderr);
    if (kind === 'permission') expect(error.fix).toMatch(/usermod -aG libvirt .*polkit/);
    if (kind === 'daemon-down') expect(error.fix).toMatch(/systemctl enable --now libvirtd/);
  });

  it('says so when virsh was stopped by the timeout', () => {
    expect(classify('', null).message).toMatch(/did not finish in time/);
  });
});

// The modprobe.d file vfio-early writes, checked with the real kmod (`modprobe -C DIR -c` parses it the
// way the boot does) and the address-binding install hook run by a real /bin/sh against a private copy of
// /sys/bus/pci/devices (a tmpfs in its own mount namespace), as modprobe would run it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PciDevice } from '../../../shared/host/model';
import { vfioModprobeFile } from '../../../shared/setup/modprobe-vfio';

const dev = (
  address: string,
  classCode: string,
  vendorId: string,
  deviceId: string,
  driver: string,
): PciDevice => ({
  address,
  classCode,
  vendorId,
  deviceId,
  driver,
  subsystemVendorId: null,
  subsystemDeviceId: null,
  vendorName: null,
  deviceName: null,
  driverOverride: null,
  iommuGroup: 25,
  bootVga: classCode.startsWith('03') ? false : null,
  resetMethods: [],
  drm: null,
  sriovTotalVfs: null,
  sriovNumVfs: null, sriovOffset: null, sriovStride: null,
  physfn: null,
  virtfns: [],
    bridges: [],
});
const functions = [
  dev('0000:0c:00.0', '030000', '10de', '2503', 'nvidia'),
  dev('0000:0c:00.1', '040300', '10de', '228e', 'snd_hda_intel'),
];
const work = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-modprobe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** kmod's view of a modprobe.d directory holding only `content`: our lines, normalised by kmod. */
function kmodConfig(content: string): string[] {
  const dir = path.join(work, `conf-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'gpu-ferry-vfio.conf'), content);
  const r = spawnSync('modprobe', ['-C', dir, '-c'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => /vfio/.test(l) && !l.startsWith('alias '));
}

describe('the vfio-early modprobe file under real kmod', () => {
  it('by ids: kmod reads the options and one softdep per driver', () => {
    const lines = kmodConfig(vfioModprobeFile({ functions, byAddress: false, idsInFile: true }));
    expect(lines).toContain('options vfio_pci ids=10de:2503,10de:228e');
    for (const d of ['nouveau', 'nvidia', 'snd_hda_intel'])
      expect(lines).toContain(`softdep ${d} pre: vfio-pci`);
  });

  it('softdeps name the module that registers the driver where sysfs shows another name (bochs-drm is bochs)', () => {
    const lines = kmodConfig(
      vfioModprobeFile({
        functions: [dev('0000:01:00.0', '030000', '1234', '1111', 'bochs-drm'), dev('0000:02:00.0', '0c0330', '1912', '0014', 'xhci_hcd')],
        byAddress: false,
        idsInFile: true,
      }),
    );
    for (const m of ['bochs', 'bochs_drm', 'xhci_pci']) expect(lines).toContain(`softdep ${m} pre: vfio-pci`);
  });

  it('by address: kmod reads the install hook and no ids', () => {
    const lines = kmodConfig(vfioModprobeFile({ functions, byAddress: true, idsInFile: true }));
    expect(lines.some((l) => l.startsWith('install vfio_pci for d in 0000:0c:00.0 0000:0c:00.1;'))).toBe(
      true,
    );
    expect(lines.join('\n')).not.toMatch(/ids=/);
  });

  it('the install hook overrides exactly our functions, skips missing ones, then loads vfio-pci for real', () => {
    const file = vfioModprobeFile({
      functions: [...functions, dev('0000:0d:00.0', '030000', '10de', '2503', 'nvidia')],
      byAddress: true,
      idsInFile: true,
    });
    const hook = /^install vfio-pci (.*)$/m.exec(file)?.[1];
    expect(hook).toBeDefined();
    // kmod substitutes $CMDLINE_OPTS itself before handing the command to /bin/sh.
    const command = hook!.replace('$CMDLINE_OPTS', 'disable_vga=1');
    const bin = path.join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'modprobe'), `#!/bin/sh\necho "$*" > ${work}/modprobe-args\n`, {
      mode: 0o755,
    });
    const script = [
      'set -e',
      'mount -t tmpfs gpu-ferry-test /sys/bus/pci/devices',
      'for d in 0000:0b:00.0 0000:0c:00.0 0000:0c:00.1; do mkdir /sys/bus/pci/devices/$d; echo "(null)" > /sys/bus/pci/devices/$d/driver_override; done',
      `PATH=${bin}:$PATH /bin/sh -c '${command.replace(/'/g, `'\\''`)}'`,
      'for d in 0000:0b:00.0 0000:0c:00.0 0000:0c:00.1; do echo "$d $(cat /sys/bus/pci/devices/$d/driver_override)"; done',
      'ls /sys/bus/pci/devices',
    ].join('\n');
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '0000:0b:00.0 (null)', // the host's identical GPU is left alone
      '0000:0c:00.0 vfio-pci',
      '0000:0c:00.1 vfio-pci',
      '0000:0b:00.0', // 0000:0d:00.0 is absent: no file was created for it
      '0000:0c:00.0',
      '0000:0c:00.1',
      '',
    ]);
    expect(spawnSync('cat', [path.join(work, 'modprobe-args')], { encoding: 'utf8' }).stdout).toBe(
      '-i vfio-pci disable_vga=1\n',
    );
  });
});

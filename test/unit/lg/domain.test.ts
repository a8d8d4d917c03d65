import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addLookingGlass, kvmfrArgs, removeLookingGlass, useJsonForm } from '../../../shared/lg/domain';
import { findAll, findFirst, parseXml } from '../../../shared/vm/domain-xml';

// A domain exported by virt-manager, with comments, foreign namespaces and a qemu:commandline of its own.
const virtManager = readFileSync(new URL('../../fixtures/libvirt/win11-virt-manager.xml', import.meta.url), 'utf8');
const minimal = `<domain type='qemu'>
  <name>gpu-ferry-test-lg</name>
  <memory unit='MiB'>256</memory>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <!-- the user's comment -->
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
  </devices>
</domain>
`;
const modern = { qemuVersion: '8.2.2', libvirtVersion: '10.0.0' };
const argValues = (xml: string): string[] =>
  findAll(parseXml(xml).root, 'qemu:commandline/qemu:arg').map((a) => a.attributes.value ?? '');

describe('kvmfr domain XML', () => {
  it('chooses the JSON form only for QEMU >= 6.2 and libvirt >= 7.9', () => {
    expect(useJsonForm('6.2.0', '7.9.0')).toBe(true);
    expect(useJsonForm('8.2.2', '10.0.0')).toBe(true);
    expect(useJsonForm('6.1.1', '9.0.0')).toBe(false);
    expect(useJsonForm('7.2.0', '7.8.0')).toBe(false);
    expect(useJsonForm('5.2.0', '6.0.0')).toBe(false);
    expect(useJsonForm(null, null)).toBe(true);
  });

  it('JSON form: valid JSON with the size in bytes and /dev/kvmfr0, the device pointing at the memdev', () => {
    const [deviceFlag, device, objectFlag, object] = kvmfrArgs(64, true);
    expect([deviceFlag, objectFlag]).toEqual(['-device', '-object']);
    const dev = JSON.parse(device ?? '') as Record<string, unknown>;
    const obj = JSON.parse(object ?? '') as Record<string, unknown>;
    expect(dev).toMatchObject({ driver: 'ivshmem-plain' });
    expect(obj).toEqual({ 'qom-type': 'memory-backend-file', id: dev.memdev, 'mem-path': '/dev/kvmfr0', size: 67108864, share: true });
  });

  it('legacy form: key=value with the size in M', () => {
    expect(kvmfrArgs(32, false)).toEqual([
      '-device',
      'ivshmem-plain,id=shmem-looking-glass,memdev=looking-glass',
      '-object',
      'memory-backend-file,id=looking-glass,share=on,mem-path=/dev/kvmfr0,size=32M',
    ]);
  });

  it('appends to an existing qemu:commandline, keeps the user\'s args, and removal gives the original bytes back', () => {
    const edited = addLookingGlass(virtManager, { mode: 'kvmfr', sizeMiB: 64, ...modern });
    const values = argValues(edited);
    expect(values.slice(0, 2)).toEqual(['-fw_cfg', 'opt/ovmf/X-PciMmio64Mb,string=65536']);
    expect(values.slice(2)).toEqual(kvmfrArgs(64, true));
    expect(findAll(parseXml(edited).root, 'qemu:commandline')).toHaveLength(1);
    expect(edited).toContain('<custom:note xmlns:custom="https://example.org/notes">Key in the drawer &amp; backup on NAS</custom:note>');
    expect(removeLookingGlass(edited)).toBe(virtManager);
  });

  it('adds xmlns:qemu and a qemu:commandline where there was none, and takes both away again', () => {
    const edited = addLookingGlass(minimal, { mode: 'kvmfr', sizeMiB: 32, qemuVersion: '6.1.0', libvirtVersion: '7.0.0' });
    expect(parseXml(edited).root.attributes['xmlns:qemu']).toBe('http://libvirt.org/schemas/domain/qemu/1.0');
    expect(argValues(edited)).toEqual(kvmfrArgs(32, false));
    expect(edited).toContain('<!-- the user\'s comment -->');
    expect(removeLookingGlass(edited)).toBe(minimal);
  });

  it('re-applying with a new size replaces the old device instead of adding a second', () => {
    const once = addLookingGlass(virtManager, { mode: 'kvmfr', sizeMiB: 32, ...modern });
    const twice = addLookingGlass(once, { mode: 'kvmfr', sizeMiB: 128, ...modern });
    expect(argValues(twice).filter((v) => v.includes('/dev/kvmfr0'))).toEqual([kvmfrArgs(128, true)[3]]);
    expect(addLookingGlass(twice, { mode: 'kvmfr', sizeMiB: 128, ...modern })).toBe(twice);
  });
});

describe('shm domain XML', () => {
  it('adds <shmem> with ivshmem-plain and the size in M, indented like its siblings', () => {
    const edited = addLookingGlass(minimal, { mode: 'shm', sizeMiB: 64, ...modern });
    const shmem = findFirst(parseXml(edited).root, 'devices/shmem[name=looking-glass]');
    expect(shmem).not.toBeNull();
    expect(shmem && findFirst(shmem, 'model')?.attributes.type).toBe('ivshmem-plain');
    expect(shmem && findFirst(shmem, 'size')?.attributes.unit).toBe('M');
    expect(shmem && findFirst(shmem, 'size')?.text).toBe('64');
    expect(edited).toContain("\n    <shmem name='looking-glass'>\n      <model type='ivshmem-plain'/>\n      <size unit='M'>64</size>\n    </shmem>\n");
    expect(removeLookingGlass(edited)).toBe(minimal);
  });

  it('switching between kvmfr and shm leaves exactly one Looking Glass device', () => {
    const kvmfr = addLookingGlass(virtManager, { mode: 'kvmfr', sizeMiB: 64, ...modern });
    const shm = addLookingGlass(kvmfr, { mode: 'shm', sizeMiB: 64, ...modern });
    expect(argValues(shm)).toEqual(['-fw_cfg', 'opt/ovmf/X-PciMmio64Mb,string=65536']);
    expect(findAll(parseXml(shm).root, 'devices/shmem')).toHaveLength(1);
    const back = addLookingGlass(shm, { mode: 'kvmfr', sizeMiB: 64, ...modern });
    expect(back).toBe(kvmfr);
    expect(removeLookingGlass(back)).toBe(virtManager);
  });
});

import { describe, expect, it } from 'vitest';
import { findAll, findFirst, parseXml } from '../../../shared/vm/domain-xml';
import { passedThrough } from '../../../shared/vm/gpu-hostdev';
import { defaultNewVmOptions, hugepagesFor, newVmXml } from '../../../shared/vm/new-vm-xml';
import { testHost } from './host-model';

const gpu = ['0000:0a:00.0', '0000:0a:00.1'];

describe('newVmXml', () => {
  it('builds a tuned Windows 11 VM on an AMD host', () => {
    const host = testHost('amd', 8, 2);
    const vm = newVmXml(host, {
      ...defaultNewVmOptions('win11'),
      gpuFunctions: gpu,
      romFile: '/var/lib/libvirt/vbios/3080.rom',
      windowsIso: '/isos/Win11.iso',
      virtioIso: '/isos/virtio-win.iso',
      evdevKeyboard: '/dev/input/by-id/usb-kbd-event-kbd',
      evdevMouse: '/dev/input/by-id/usb-mouse-event-mouse',
      hugepages: true,
    });
    const { root } = parseXml(vm.xml);
    expect(root.attributes.type).toBe('kvm');
    expect(findFirst(root, 'name')?.text).toBe('win11');
    expect(findFirst(root, 'os')?.attributes.firmware).toBe('efi');
    expect(findFirst(root, 'os/type')?.attributes.machine).toBe('q35');
    expect(findFirst(root, 'os/firmware/feature[name=secure-boot]')?.attributes.enabled).toBe('yes');
    expect(findFirst(root, 'devices/tpm/backend')?.attributes).toMatchObject({ type: 'emulator', version: '2.0' });
    expect(findFirst(root, 'cpu')?.attributes.mode).toBe('host-passthrough');
    expect(findFirst(root, 'cpu/topology')?.attributes).toMatchObject({ cores: '7', threads: '2' });
    expect(findFirst(root, 'cpu/feature[name=topoext]')?.attributes.policy).toBe('require');
    expect(findFirst(root, 'vcpu')?.text).toBe('14');
    expect(findAll(root, 'cputune/vcpupin')).toHaveLength(14);
    expect(findFirst(root, 'cputune/emulatorpin')?.attributes.cpuset).toBe('0,8');
    expect(findFirst(root, 'memoryBacking/hugepages')).not.toBeNull();
    expect(findFirst(root, 'features/hyperv/vendor_id')?.attributes.state).toBe('on');
    expect(findFirst(root, 'devices/memballoon')?.attributes.model).toBe('none');
    expect(findFirst(root, 'devices/disk[device=disk]/target')?.attributes.bus).toBe('virtio');
    expect(findAll(root, 'devices/disk[device=cdrom]')).toHaveLength(2);
    expect(findFirst(root, 'devices/interface/model')?.attributes.type).toBe('virtio');
    expect(findAll(root, 'devices/input[type=evdev]/source')[0]?.attributes.grabToggle).toBe('ctrl-ctrl');
    expect(passedThrough(vm.xml)).toEqual(gpu);
    expect(findAll(root, 'devices/hostdev')[0]?.attributes.managed).toBe('yes');
    expect(findFirst(root, 'devices/hostdev/rom')?.attributes.file).toBe('/var/lib/libvirt/vbios/3080.rom');
    expect(findAll(root, 'devices/hostdev/rom')).toHaveLength(1);
    expect(findFirst(root, 'devices/audio')?.attributes.type).toBe('pulseaudio');
    expect(vm.createDisk).toEqual(['qemu-img', 'create', '-f', 'qcow2', '--', '/var/lib/libvirt/images/win11.qcow2', '128G']);
  });

  it('has no topoext on Intel and pins without SMT', () => {
    const vm = newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), gpuFunctions: gpu });
    const { root } = parseXml(vm.xml);
    expect(findFirst(root, 'cpu/feature[name=topoext]')).toBeNull();
    expect(findFirst(root, 'cpu/topology')?.attributes).toMatchObject({ cores: '5', threads: '1' });
    expect(vm.warnings.join(' ')).toMatch(/evdev/);
  });

  it('escapes names with quotes, ampersands and non-ASCII letters', () => {
    const name = `Alex's "Jeux" & ゲーム`;
    const vm = newVmXml(testHost('intel', 4, 2), { ...defaultNewVmOptions(name), disk: { path: `/img/it's.qcow2`, createGiB: null } });
    const { root } = parseXml(vm.xml);
    expect(findFirst(root, 'name')?.text).toBe(name);
    expect(findFirst(root, 'devices/disk/source')?.attributes.file).toBe(`/img/it's.qcow2`);
    expect(vm.createDisk).toBeNull();
  });

  it('software-emulation variant has no host-passthrough CPU and no Hyper-V', () => {
    const vm = newVmXml(testHost('intel', 4, 2), { ...defaultNewVmOptions('t'), domainType: 'qemu' });
    const { root } = parseXml(vm.xml);
    expect(root.attributes.type).toBe('qemu');
    expect(findFirst(root, 'cpu')?.attributes.mode).toBe('maximum');
    expect(findFirst(root, 'features/hyperv')).toBeNull();
  });

  it('refuses bad input', () => {
    const host = testHost('intel', 4, 2);
    expect(() => newVmXml(host, defaultNewVmOptions('a/b'))).toThrow(/"\/"/);
    expect(() => newVmXml(host, { ...defaultNewVmOptions('a'), memoryMiB: 100 })).toThrow(/at least 1024/);
    expect(() => newVmXml(host, { ...defaultNewVmOptions('a'), gpuFunctions: ['0a:00.0'] })).toThrow(/PCI address/);
    expect(() => newVmXml(host, { ...defaultNewVmOptions('a'), disk: { path: 'rel.qcow2', createGiB: 10 } })).toThrow(/absolute/);
    expect(() => newVmXml(host, { ...defaultNewVmOptions('a'), disk: { path: '/a.qcow2', createGiB: 0 } })).toThrow(/at least 1/);
  });

  it('warns instead of pinning on a single-core host', () => {
    const vm = newVmXml(testHost('intel', 1, 1), defaultNewVmOptions('a'));
    expect(vm.pinning).toBeNull();
    expect(vm.warnings.join(' ')).toMatch(/No CPU pinning/);
    expect(findFirst(parseXml(vm.xml).root, 'cputune')).toBeNull();
  });

  it('counts hugepages', () => {
    expect(hugepagesFor(16384)).toBe(8192);
    expect(hugepagesFor(1025)).toBe(513);
  });
});

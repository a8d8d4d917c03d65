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
      input: { usb: [], evdevKeyboard: '/dev/input/by-id/usb-kbd-event-kbd', evdevMouse: '/dev/input/by-id/usb-mouse-event-mouse', grabToggle: 'ctrl-ctrl' },
      display: 'none',
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
  });

  it('single GPU: no screen to spare, so the VM gets the USB keyboard and mouse chosen, by id', () => {
    const usb = [
      { vendorId: '046d', productId: 'c31c' },
      { vendorId: '046d', productId: 'c077' },
    ];
    const vm = newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), gpuFunctions: gpu, display: 'none', input: { usb, evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' } });
    const { root } = parseXml(vm.xml);
    const hostdevs = findAll(root, 'devices/hostdev[type=usb]');
    expect(hostdevs.map((h) => `${findFirst(h, 'source/vendor')?.attributes.id}:${findFirst(h, 'source/product')?.attributes.id}`)).toEqual(['0x046d:0xc31c', '0x046d:0xc077']);
    expect(findFirst(root, 'devices/graphics')).toBeNull();
    expect(findFirst(root, 'devices/video/model')?.attributes.type).toBe('none');
    expect(passedThrough(vm.xml)).toEqual(gpu); // USB hostdevs are not mistaken for the GPU's
    expect(vm.warnings.join(' ')).not.toMatch(/no keyboard/);
  });

  it('single GPU without any input chosen warns that setup would wait for input', () => {
    const vm = newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), gpuFunctions: gpu, display: 'none' });
    expect(vm.warnings.join(' ')).toMatch(/no keyboard or mouse of its own/);
  });

  it('two GPUs: a SPICE screen with QXL video, virtio keyboard/mouse, tablet and the SPICE channel Looking Glass uses', () => {
    const vm = newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), gpuFunctions: gpu, display: 'spice' });
    const { root } = parseXml(vm.xml);
    expect(findFirst(root, 'devices/graphics')?.attributes.type).toBe('spice');
    expect(findFirst(root, 'devices/video/model')?.attributes.type).toBe('qxl');
    expect(findAll(root, 'devices/input').map((i) => `${i.attributes.type}/${i.attributes.bus}`)).toEqual(['keyboard/virtio', 'mouse/virtio', 'tablet/usb']);
    expect(findFirst(root, 'devices/channel[type=spicevmc]/target')?.attributes.name).toBe('com.redhat.spice.0');
    expect(vm.warnings).toEqual([]);
  });

  it('evdev keyboard gets the chosen grab toggle; a path outside /dev/input/by-id or a bad USB id is refused', () => {
    const input = { usb: [], evdevKeyboard: '/dev/input/by-id/usb-Cherry_KC_1000-event-kbd', evdevMouse: null, grabToggle: 'scrolllock' as const };
    const vm = newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), input });
    expect(findFirst(parseXml(vm.xml).root, 'devices/input[type=evdev]/source')?.attributes).toMatchObject({ grab: 'all', grabToggle: 'scrolllock' });
    expect(() => newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), input: { ...input, evdevKeyboard: '/etc/shadow' } })).toThrow(/by-id/);
    expect(() => newVmXml(testHost('intel', 6, 1), { ...defaultNewVmOptions('w'), input: { ...input, usb: [{ vendorId: "0'/>", productId: '0001' }] } })).toThrow(/USB id/);
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

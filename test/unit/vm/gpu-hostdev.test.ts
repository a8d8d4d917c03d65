import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachGpu, detachGpu, hostdevXml, passedThrough } from '../../../shared/vm/gpu-hostdev';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/libvirt/${name}`, import.meta.url), 'utf8');
const gpu = ['0000:0a:00.0', '0000:0a:00.1'];

describe('attachGpu / detachGpu', () => {
  it.each(['win11-virt-manager.xml', 'crlf-four-spaces.xml'])('attach then detach gives back %s byte for byte', (name) => {
    const original = fixture(name);
    const attached = attachGpu(original, { functions: gpu, rom: '/roms/gpu.rom' });
    expect(attached).not.toBe(original);
    expect(passedThrough(attached)).toEqual(gpu);
    expect(attached.split('<!--').length).toBe(original.split('<!--').length);
    expect(detachGpu(attached, gpu)).toBe(original);
  });

  it('attaching twice adds nothing the second time', () => {
    const once = attachGpu(fixture('win11-virt-manager.xml'), { functions: gpu });
    expect(attachGpu(once, { functions: gpu })).toBe(once);
  });

  it('detach leaves other hostdevs (a USB receiver) alone', () => {
    const original = fixture('crlf-four-spaces.xml');
    expect(detachGpu(original, gpu)).toBe(original);
    expect(detachGpu(attachGpu(original, { functions: gpu }), gpu)).toContain('<product id="0xc52b"/>');
  });

  it('reads addresses written in any hex case or without domain', () => {
    const xml = "<domain><devices><hostdev mode='subsystem' type='pci'><source><address bus='0x0A' slot='0x00' function='0x1'/></source></hostdev></devices></domain>";
    expect(passedThrough(xml)).toEqual(['0000:0a:00.1']);
  });

  it('refuses bad addresses', () => {
    expect(() => hostdevXml('0000:0a:00.8')).toThrow(/PCI address/);
    expect(() => attachGpu(fixture('win11-virt-manager.xml'), { functions: [] })).toThrow(/No PCI/);
    expect(() => detachGpu('<domain/>', ['x'])).toThrow(/PCI address/);
  });
});

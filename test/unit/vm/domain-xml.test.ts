import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ensureChild,
  ensureNamespace,
  findAll,
  findFirst,
  insertChild,
  parseXml,
  removeAttribute,
  removeElement,
  replaceElement,
  setAttribute,
  XmlEditError,
} from '../../../shared/vm/domain-xml';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/libvirt/${name}`, import.meta.url), 'utf8');
const virtManager = fixture('win11-virt-manager.xml');
const crlf = fixture('crlf-four-spaces.xml');

describe('parseXml positions', () => {
  it('locates every element so that slicing gives back its exact text', () => {
    const { root } = parseXml(virtManager);
    expect(root.name).toBe('domain');
    const nvram = findFirst(root, 'os/nvram');
    expect(nvram && virtManager.slice(nvram.start, nvram.end)).toBe(
      "<nvram template='/usr/share/edk2/x64/OVMF_VARS.4m.fd'>/var/lib/libvirt/qemu/nvram/win11_VARS.fd</nvram>",
    );
    const arg = findAll(root, 'qemu:commandline/qemu:arg')[1];
    expect(arg && virtManager.slice(arg.start, arg.end)).toBe("<qemu:arg value='opt/ovmf/X-PciMmio64Mb,string=65536'/>");
    expect(arg?.selfClosing).toBe(true);
    const note = findFirst(root, 'metadata/custom:note');
    expect(note?.text).toBe('Key in the drawer & backup on NAS');
  });

  it('filters path steps by attributes', () => {
    const { root } = parseXml(virtManager);
    expect(findAll(root, 'devices/disk[device=cdrom]/source')[0]?.attributes.file).toContain('Win11_23H2');
    expect(findAll(root, 'devices/controller[type=pci][model=pcie-root]')).toHaveLength(1);
    expect(findAll(root, 'devices/*')).toHaveLength(15);
  });

  it('keeps offsets right with CRLF line ends', () => {
    const { root } = parseXml(crlf);
    const product = findFirst(root, 'devices/hostdev/source/product');
    expect(product && crlf.slice(product.start, product.end)).toBe('<product id="0xc52b"/>');
  });

  it('rejects malformed XML with the parser message', () => {
    expect(() => parseXml('<domain><name>x</domain>')).toThrow(XmlEditError);
    expect(() => parseXml('<domain><name>x</domain>')).toThrow(/1:\d+/);
  });
});

const hostdev = `<hostdev mode='subsystem' type='pci' managed='yes'>
  <source>
    <address domain='0x0000' bus='0x0a' slot='0x00' function='0x0'/>
  </source>
</hostdev>`;

describe('insertChild / removeElement', () => {
  it('inserts indented like the siblings and removing gives back the original byte for byte', () => {
    const tree = parseXml(virtManager);
    const devices = findFirst(tree.root, 'devices');
    if (!devices) throw new Error('fixture has devices');
    const edited = insertChild(virtManager, devices, hostdev);
    expect(edited).toContain(
      "    </memballoon>\n    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source>\n        <address domain='0x0000'",
    );
    expect(edited).toContain("    </hostdev>\n  </devices>\n");
    const again = parseXml(edited);
    const added = findAll(again.root, 'devices/hostdev')[0];
    if (!added) throw new Error('hostdev was inserted');
    expect(removeElement(edited, added)).toBe(virtManager);
  });

  it('learns four-space indentation and keeps CRLF elsewhere', () => {
    const tree = parseXml(crlf);
    const devices = findFirst(tree.root, 'devices');
    if (!devices) throw new Error('fixture has devices');
    const edited = insertChild(crlf, devices, '<watchdog model="itco" action="reset"/>');
    expect(edited).toContain('        <watchdog model="itco" action="reset"/>\n    </devices>');
    const added = findFirst(parseXml(edited).root, 'devices/watchdog');
    if (!added) throw new Error('inserted');
    expect(removeElement(edited, added)).toBe(crlf);
  });

  it('inserts before a given sibling', () => {
    const tree = parseXml(virtManager);
    const os = findFirst(tree.root, 'os');
    const boot = os && findFirst(os, 'boot');
    if (!os || !boot) throw new Error('fixture');
    const edited = insertChild(virtManager, os, "<smbios mode='host'/>", { before: boot });
    expect(edited).toContain("fd</nvram>\n    <smbios mode='host'/>\n    <boot dev='hd'/>");
  });

  it('finds the end tag when end tags touch (</devices></domain>)', () => {
    const src = '<domain><devices>\n</devices></domain>';
    const tree = parseXml(src);
    const devices = findFirst(tree.root, 'devices');
    if (!devices) throw new Error('x');
    expect(src.slice(devices.endTagStart, devices.end)).toBe('</devices>');
    expect(insertChild(src, devices, '<watchdog/>')).toBe('<domain><devices>\n  <watchdog/>\n</devices></domain>');
  });

  it('expands a self-closing parent', () => {
    const src = "<domain>\n  <features/>\n</domain>\n";
    const features = findFirst(parseXml(src).root, 'features');
    if (!features) throw new Error('x');
    expect(insertChild(src, features, '<acpi/>')).toBe('<domain>\n  <features>\n    <acpi/>\n  </features>\n</domain>\n');
  });

  it('refuses a malformed fragment and changes nothing', () => {
    const tree = parseXml(virtManager);
    expect(() => insertChild(virtManager, tree.root, '<hostdev>')).toThrow(XmlEditError);
  });

  it('refuses to remove the root', () => {
    expect(() => removeElement(virtManager, parseXml(virtManager).root)).toThrow(/root/);
  });

  it('removes an element that shares its line without touching the neighbours', () => {
    const src = '<a><b/><c/><d/></a>';
    const c = findFirst(parseXml(src).root, 'c');
    if (!c) throw new Error('x');
    expect(removeElement(src, c)).toBe('<a><b/><d/></a>');
  });
});

describe('attributes and namespaces', () => {
  it('changes one attribute in place, in the quote style of the tag, escaping the value', () => {
    const cpu = findFirst(parseXml(virtManager).root, 'cpu');
    if (!cpu) throw new Error('x');
    const edited = setAttribute(virtManager, cpu, 'check', 'partial');
    expect(edited).toContain("<cpu mode='host-passthrough' check='partial' migratable='on'>");
    const cpu2 = findFirst(parseXml(edited).root, 'cpu');
    if (!cpu2) throw new Error('x');
    const added = setAttribute(edited, cpu2, 'note', `a"b'<&`);
    expect(added).toContain("migratable='on' note='a&quot;b&apos;&lt;&amp;'>");
    expect(findFirst(parseXml(added).root, 'cpu')?.attributes.note).toBe(`a"b'<&`);
    const cpu3 = findFirst(parseXml(added).root, 'cpu');
    if (!cpu3) throw new Error('x');
    expect(removeAttribute(added, cpu3, 'note')).toBe(edited);
  });

  it('uses double quotes where the tag does', () => {
    const mem = findFirst(parseXml(crlf).root, 'memory');
    if (!mem) throw new Error('x');
    expect(setAttribute(crlf, mem, 'unit', 'MiB')).toContain('<memory unit="MiB">8388608</memory>');
  });

  it('declares a namespace once and refuses to rebind a prefix', () => {
    expect(ensureNamespace(virtManager, 'qemu', 'http://libvirt.org/schemas/domain/qemu/1.0')).toBe(virtManager);
    const declared = ensureNamespace(crlf, 'qemu', 'http://libvirt.org/schemas/domain/qemu/1.0');
    expect(declared.startsWith('<domain type="kvm" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">\r\n')).toBe(true);
    expect(() => ensureNamespace(virtManager, 'qemu', 'urn:other')).toThrow(/already bound/);
  });

  it('ensureChild creates a missing element once', () => {
    const first = ensureChild(crlf, '', 'features');
    expect(first.element.name).toBe('features');
    expect(first.source).toContain('    <features/>\n</domain>');
    const second = ensureChild(first.source, '', 'features');
    expect(second.source).toBe(first.source);
  });

  it('replaceElement keeps the indentation', () => {
    const topo = findFirst(parseXml(virtManager).root, 'cpu/topology');
    if (!topo) throw new Error('x');
    const edited = replaceElement(virtManager, topo, "<topology sockets='1' dies='1' cores='6' threads='2'/>");
    expect(edited).toContain("    <topology sockets='1' dies='1' cores='6' threads='2'/>\n  </cpu>");
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findAll, findFirst, parseXml } from '../../../shared/vm/domain-xml';
import { attachGpu, detachGpu } from '../../../shared/vm/gpu-hostdev';
import { appliedTuning, applyTuning, domainMemoryKiB, hugepagesShortfall, parseTuningOptions, removeTuning, TUNING_OPTIONS } from '../../../shared/vm/tuning';
import { testHost } from './host-model';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/libvirt/${name}`, import.meta.url), 'utf8');
const smt = testHost('amd', 8, 2).cpu; // cores 0-7, SMT siblings c and c+8
const all = [...TUNING_OPTIONS];
const tune = (xml: string, options = all) => applyTuning(xml, { options, cpu: smt });

describe('applyTuning / removeTuning on virt-manager XML', () => {
  const win11 = fixture('win11-virt-manager.xml');
  const crlf = fixture('crlf-four-spaces.xml');
  const crlfOptions = all; // it has no <vcpu>, <features>, <cpu>, <memballoon> or <metadata>: all are added

  it.each([
    ['win11-virt-manager.xml', win11, all],
    ['crlf-four-spaces.xml', crlf, crlfOptions],
  ] as const)('apply then remove gives back %s byte for byte', (_name, original, options) => {
    const tuned = tune(original, [...options]).xml;
    expect(tuned).not.toBe(original);
    expect(appliedTuning(tuned)).toEqual(options);
    expect(tuned.split('<!--').length).toBe(original.split('<!--').length);
    expect(removeTuning(tuned)).toBe(original);
  });

  it('applying twice gives the same text; applying in two steps equals applying at once', () => {
    const once = tune(win11).xml;
    expect(tune(once).xml).toBe(once);
    const stepwise = tune(tune(win11, ['pinning', 'memballoon']).xml, ['hyperv', 'cpu', 'hugepages']);
    expect(stepwise.xml).toBe(once);
    expect(stepwise.applied).toEqual(all);
    expect(removeTuning(stepwise.xml)).toBe(win11);
  });

  it('combines with the GPU hostdevs in either order of removal', () => {
    const gpu = ['0000:0a:00.0', '0000:0a:00.1'];
    const both = attachGpu(tune(win11).xml, { functions: gpu });
    expect(detachGpu(removeTuning(both), gpu)).toBe(win11);
    expect(removeTuning(detachGpu(both, gpu))).toBe(win11);
  });

  it('keeps user metadata and everything outside the tuned elements', () => {
    const tuned = tune(win11).xml;
    expect(tuned).toContain('<custom:note xmlns:custom="https://example.org/notes">Key in the drawer &amp; backup on NAS</custom:note>');
    expect(tuned).toContain("<loader readonly='yes' secure='yes' type='pflash'>");
    expect(tuned).toContain("<memballoon model='none'/>");
    expect(tuned).not.toContain("<memballoon model='virtio'>");
    const root = parseXml(tuned).root;
    expect(findAll(root, 'features/hyperv/*').map((e) => e.name)).toContain('vendor_id');
    expect(findFirst(root, 'memoryBacking/hugepages')).not.toBeNull();
    expect(findFirst(root, 'cpu/topology')?.attributes).toMatchObject({ cores: '7', threads: '2' });
  });

  it('creates <features> for Hyper-V when missing', () => {
    const root = parseXml(tune(crlf, ['hyperv']).xml).root;
    expect(findAll(root, 'features/*').map((e) => e.name)).toEqual(['hyperv']);
    expect(findFirst(root, 'features/hyperv/vendor_id')?.attributes.value).toBe('gpuferry');
  });

  it('creates <metadata> when missing and removes it again', () => {
    const tuned = tune(crlf, crlfOptions).xml;
    expect(findFirst(parseXml(tuned).root, 'metadata')).not.toBeNull();
    expect(crlf).not.toContain('<metadata');
    expect(removeTuning(tuned)).not.toContain('<metadata');
  });
});

describe('pinning values', () => {
  it('pins whole SMT cores to consecutive vCPUs and leaves core 0 (CPUs 0,8) to the host', () => {
    const { xml, pinning } = tune(fixture('win11-virt-manager.xml'), ['pinning']);
    const root = parseXml(xml).root;
    expect(findFirst(root, 'vcpu')?.text).toBe('14');
    expect(findFirst(root, 'iothreads')?.text).toBe('1');
    const pins = findAll(root, 'cputune/vcpupin').map((p) => [p.attributes.vcpu, p.attributes.cpuset]);
    expect(pins).toEqual([1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15].map((cpu, vcpu) => [String(vcpu), String(cpu)]));
    expect(findFirst(root, 'cputune/emulatorpin')?.attributes.cpuset).toBe('0,8');
    expect(findFirst(root, 'cputune/iothreadpin')?.attributes).toEqual({ iothread: '1', cpuset: '0,8' });
    expect(pinning?.topology).toMatchObject({ cores: 7, threads: 2 });
  });

  it('without the cpu option, makes an existing <topology> match the new vCPU count (libvirt refuses a mismatch)', () => {
    const original = fixture('win11-virt-manager.xml'); // 8 vCPUs, cores='4' threads='2'
    const { xml, replaced } = tune(original, ['pinning']);
    const root = parseXml(xml).root;
    expect(findFirst(root, 'cpu')?.attributes.migratable).toBe('on'); // the rest of <cpu> is the user's
    expect(findFirst(root, 'cpu/topology')?.attributes).toEqual({ sockets: '1', dies: '1', cores: '7', threads: '2' });
    expect(replaced).toEqual([]);
    expect(removeTuning(xml)).toBe(original);
  });

  it('honours hostCores', () => {
    const { xml } = applyTuning(fixture('win11-virt-manager.xml'), { options: ['pinning'], cpu: smt, hostCores: 2 });
    expect(findFirst(parseXml(xml).root, 'cputune/emulatorpin')?.attributes.cpuset).toBe('0-1,8-9');
  });
});

describe("a user's own <cputune>", () => {
  const userTuned = fixture('win11-virt-manager.xml').replace(
    "  <vcpu placement='static'>8</vcpu>\n",
    "  <vcpu placement='static'>8</vcpu>\n  <cputune>\n    <vcpupin vcpu=\"0\" cpuset=\"3\"/>  <!-- mine -->\n    <shares>2048</shares>\n  </cputune>\n",
  );

  it('is replaced, reported, kept in the record and restored byte for byte', () => {
    const result = tune(userTuned, ['pinning']);
    expect(result.replaced).toEqual(['<cputune>']);
    expect(result.xml).not.toContain('<shares>');
    expect(findAll(parseXml(result.xml).root, 'cputune')).toHaveLength(1);
    expect(removeTuning(result.xml)).toBe(userTuned);
  });

  it('reports the replaced <cpu>, <hyperv> and <memballoon> too', () => {
    expect(tune(userTuned).replaced.sort()).toEqual(['<cpu>', '<cputune>', '<hyperv>', '<memballoon>']);
  });
});

describe('bad input changes nothing and says why', () => {
  it('refuses unknown options and empty lists', () => {
    expect(() => parseTuningOptions('pinning,turbo')).toThrow(/Unknown tuning option "turbo"/);
    expect(() => parseTuningOptions(' , ')).toThrow(/No tuning option/);
    expect(parseTuningOptions('all')).toEqual(all);
  });

  it('refuses the CPU topology without a vCPU count, and pinning on a one-core host', () => {
    expect(() => tune(fixture('crlf-four-spaces.xml'), ['cpu'])).toThrow(/no valid <vcpu> count/);
    expect(() => applyTuning(fixture('win11-virt-manager.xml'), { options: ['pinning'], cpu: testHost('intel', 1, 2).cpu })).toThrow(/Cannot pin vCPUs/);
  });

  it('refuses a tampered record instead of writing a broken domain', () => {
    const tuned = tune(fixture('win11-virt-manager.xml'), ['memballoon']).xml;
    expect(() => removeTuning(tuned.replace("path='devices/memballoon'", "path='devices/disk'"))).toThrow(/unknown element "devices\/disk"/);
    expect(() => removeTuning(tuned.replace('&lt;/memballoon&gt;', ''))).toThrow(/Not well-formed/);
  });

  it('leaves untuned XML alone on removal', () => {
    const xml = fixture('win11-virt-manager.xml');
    expect(removeTuning(xml)).toBe(xml);
  });
});

describe('hugepages check', () => {
  const win11 = fixture('win11-virt-manager.xml'); // 16777216 KiB = 8192 pages of 2 MiB

  it('reads <memory> in any unit', () => {
    expect(domainMemoryKiB(win11)).toBe(16777216);
    expect(domainMemoryKiB("<domain><memory unit='GiB'>2</memory></domain>")).toBe(2097152);
    expect(domainMemoryKiB('<domain/>')).toBeNull();
  });

  it('says how many pages are missing, and nothing when enough are reserved', () => {
    expect(hugepagesShortfall(win11, { HugePages_Total: 100, Hugepagesize: 2048 })).toMatch(/needs 8192 huge pages of 2048 KiB; the host has 100 reserved/);
    expect(hugepagesShortfall(win11, { HugePages_Total: 8192, Hugepagesize: 2048 })).toBeNull();
    expect(hugepagesShortfall(win11, { HugePages_Total: 16, Hugepagesize: 1048576 })).toBeNull();
  });
});

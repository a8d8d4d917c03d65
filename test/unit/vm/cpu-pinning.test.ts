import { describe, expect, it } from 'vitest';
import type { CpuThread } from '../../../shared/host/model';
import { cputuneXml, formatCpuset, PinningError, physicalCores, planCpuPinning } from '../../../shared/vm/cpu-pinning';

type Numbering = 'split' | 'adjacent';
/** Linux numbers siblings either as c and c+cores ("split", most Intel and AMD) or as 2c, 2c+1 ("adjacent"). */
function topology(cores: number, smt: 1 | 2, numbering: Numbering, coreIdStep = 1): CpuThread[] {
  const threads: CpuThread[] = [];
  for (let c = 0; c < cores; c++)
    for (let t = 0; t < smt; t++)
      threads.push({ processor: numbering === 'split' ? c + t * cores : c * smt + t, coreId: c * coreIdStep, packageId: 0 });
  return threads.sort((a, b) => a.processor - b.processor);
}

function checkInvariants(topo: CpuThread[], smt: number) {
  const pin = planCpuPinning(topo);
  const cores = physicalCores(topo);
  const coreOf = new Map(topo.map((t) => [t.processor, `${t.packageId}:${t.coreId}`]));
  // Consecutive vCPUs of one guest core sit on SMT siblings of one physical core.
  expect(pin.topology.threads).toBe(smt);
  expect(pin.topology.cores * pin.topology.threads).toBe(pin.vcpus.length);
  for (let g = 0; g < pin.topology.cores; g++) {
    const group = pin.vcpus.slice(g * smt, g * smt + smt).map((cpu) => coreOf.get(cpu));
    expect(new Set(group).size).toBe(1);
  }
  // Every host CPU is used once, by the guest or by the host, never both.
  expect(new Set(pin.vcpus).size).toBe(pin.vcpus.length);
  expect(pin.hostCpus.filter((c) => pin.vcpus.includes(c))).toEqual([]);
  expect([...pin.vcpus, ...pin.hostCpus].sort((a, b) => a - b)).toEqual(topo.map((t) => t.processor).sort((a, b) => a - b));
  // The host keeps whole cores, at least one.
  expect(pin.hostCpus.length).toBeGreaterThanOrEqual(smt);
  expect(pin.hostCpus.length % smt).toBe(0);
  expect(cores.length - pin.topology.cores).toBe(cores.length > 8 ? 2 : 1);
  return pin;
}

describe('planCpuPinning on regular CPUs, 4 to 32 threads', () => {
  const cases: { name: string; cores: number; smt: 1 | 2; numbering: Numbering; step?: number }[] = [];
  for (const threads of [4, 6, 8, 12, 16, 24, 32])
    for (const smt of [1, 2] as const)
      for (const numbering of ['split', 'adjacent'] as const)
        if (threads / smt >= 2) cases.push({ name: `${threads} threads, SMT ${smt}, ${numbering}`, cores: threads / smt, smt, numbering });
  // AMD Zen reports sparse core ids (0,1,2,...,8,9,...) across CCDs.
  cases.push({ name: 'AMD 16 cores sparse core ids', cores: 16, smt: 2, numbering: 'split', step: 4 });
  it.each(cases)('$name', ({ cores, smt, numbering, step }) => {
    checkInvariants(topology(cores, smt, numbering, step ?? 1), smt);
  });

  it('Ryzen 7 5800X (8C/16T, split numbering): host keeps CPUs 0 and 8', () => {
    const pin = planCpuPinning(topology(8, 2, 'split'));
    expect(pin.hostCpus).toEqual([0, 8]);
    expect(pin.vcpus).toEqual([1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15]);
    expect(pin.topology).toEqual({ sockets: 1, dies: 1, cores: 7, threads: 2 });
  });

  it('i5 without SMT (4C/4T)', () => {
    const pin = planCpuPinning(topology(4, 1, 'adjacent'));
    expect(pin.vcpus).toEqual([1, 2, 3]);
    expect(pin.hostCpus).toEqual([0]);
  });

  it('16 cores: the host keeps two', () => {
    const pin = planCpuPinning(topology(16, 2, 'split'));
    expect(pin.hostCpus).toEqual([0, 1, 16, 17]);
  });
});

describe('hybrid and odd CPUs', () => {
  it('Intel 12th gen 6P+8E: guest gets the P cores, siblings together; the host keeps the E cores', () => {
    const p = topology(6, 2, 'adjacent');
    const e: CpuThread[] = Array.from({ length: 8 }, (_, i) => ({ processor: 12 + i, coreId: 12 + i, packageId: 0 }));
    const pin = planCpuPinning([...p, ...e]);
    expect(pin.topology).toEqual({ sockets: 1, dies: 1, cores: 6, threads: 2 });
    expect(pin.vcpus).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(pin.hostCpus).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('Intel 2P+2E with the host keeping 3 cores: one P core stays with the host too', () => {
    const p = topology(2, 2, 'adjacent');
    const e: CpuThread[] = [4, 5].map((processor) => ({ processor, coreId: processor + 10, packageId: 0 }));
    const pin = planCpuPinning([...p, ...e], { hostCores: 3 });
    expect(pin.vcpus).toEqual([2, 3]);
    expect(pin.hostCpus).toEqual([0, 1, 4, 5]);
  });

  it('two sockets: stays on one package', () => {
    const a = topology(4, 2, 'split');
    const b = a.map((t) => ({ ...t, processor: t.processor + 8, packageId: 1 }));
    const pin = planCpuPinning([...a, ...b]);
    expect(pin.guestCores.every((c) => c.packageId === pin.guestCores[0]?.packageId)).toBe(true);
    expect(pin.topology.cores).toBe(4);
  });

  it('refuses a single core and bad host core counts', () => {
    expect(() => planCpuPinning(topology(1, 2, 'split'))).toThrow(PinningError);
    expect(() => planCpuPinning(topology(4, 2, 'split'), { hostCores: 4 })).toThrow(/between 1 and 3/);
    expect(() => planCpuPinning([])).toThrow(/0 physical/);
  });

  it('limits the guest to a chosen core count, the rest is for the host', () => {
    const pin = planCpuPinning(topology(8, 2, 'split'), { guestCores: 2 });
    expect(pin.vcpus).toEqual([1, 9, 2, 10]);
    expect(pin.hostCpus).toEqual([0, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15]);
  });
});

describe('formatting', () => {
  it('formats cpusets compactly', () => {
    expect(formatCpuset([0, 1, 2, 3, 8, 10, 11])).toBe('0-3,8,10-11');
    expect(formatCpuset([5])).toBe('5');
    expect(formatCpuset([])).toBe('');
  });

  it('writes cputune with emulator and iothread on the host CPUs', () => {
    const xml = cputuneXml(planCpuPinning(topology(4, 2, 'split')));
    expect(xml).toContain("<vcpupin vcpu='0' cpuset='1'/>");
    expect(xml).toContain("<vcpupin vcpu='1' cpuset='5'/>");
    expect(xml).toContain("<emulatorpin cpuset='0,4'/>");
    expect(xml).toContain("<iothreadpin iothread='1' cpuset='0,4'/>");
  });
});

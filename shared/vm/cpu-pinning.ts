// vCPU pinning from the host's CPU topology: the guest gets whole physical cores (SMT siblings stay
// together, as consecutive vCPUs, so the guest's own topology matches), the host keeps its first
// core(s) — where most interrupts land — and the emulator and I/O threads run on the host's cores.
import type { CpuThread } from '../host/model';

export interface PhysicalCore {
  packageId: number;
  coreId: number;
  /** Logical CPUs of this core, ascending. */
  threads: number[];
}

export interface CpuPinning {
  /** vCPU n runs on host CPU vcpus[n]. */
  vcpus: number[];
  /** Host CPUs left to the host; also where the emulator and iothreads run. */
  hostCpus: number[];
  /** Guest topology (libvirt <topology>): sockets × cores × threads = vcpus.length. */
  topology: { sockets: 1; dies: 1; cores: number; threads: number };
  /** Physical cores given to the guest, in order. */
  guestCores: PhysicalCore[];
}

export class PinningError extends Error {}

/** Groups logical CPUs into physical cores, ordered by package then lowest logical CPU. */
export function physicalCores(topology: CpuThread[]): PhysicalCore[] {
  const byKey = new Map<string, PhysicalCore>();
  for (const t of topology) {
    const key = `${t.packageId}:${t.coreId}`;
    const core = byKey.get(key) ?? { packageId: t.packageId, coreId: t.coreId, threads: [] };
    if (!core.threads.includes(t.processor)) core.threads.push(t.processor);
    byKey.set(key, core);
  }
  const cores = [...byKey.values()];
  for (const c of cores) c.threads.sort((a, b) => a - b);
  return cores.sort((a, b) => a.packageId - b.packageId || (a.threads[0] ?? 0) - (b.threads[0] ?? 0));
}

/** How many physical cores the host keeps by default: 1 up to 8 cores, 2 above. */
export const defaultHostCores = (coreCount: number): number => (coreCount > 8 ? 2 : 1);

export interface PinningOptions {
  /** Physical cores kept by the host (default: defaultHostCores). */
  hostCores?: number;
  /** Give the guest at most this many physical cores (default: all the host does not keep). */
  guestCores?: number;
}

/**
 * Plans the pinning. Cores with fewer threads than the widest (hybrid CPUs' efficiency cores) stay
 * with the host, so the guest sees a regular topology; every CPU not given to the guest is the host's.
 */
export function planCpuPinning(topology: CpuThread[], options: PinningOptions = {}): CpuPinning {
  const cores = physicalCores(topology);
  if (cores.length < 2) throw new PinningError(`The host has ${cores.length} physical core(s); pinning needs at least 2 (one stays with the host).`);
  const hostCount = options.hostCores ?? defaultHostCores(cores.length);
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount >= cores.length)
    throw new PinningError(`The host must keep between 1 and ${cores.length - 1} cores, not ${hostCount}.`);
  const width = Math.max(...cores.map((c) => c.threads.length));
  const wide = cores.filter((c) => c.threads.length === width);
  const narrow = cores.filter((c) => c.threads.length !== width);
  // Narrow cores (hybrid efficiency cores) stay with the host and count towards what it keeps.
  const keptWide = Math.max(0, hostCount - narrow.length);
  if (keptWide >= wide.length) throw new PinningError(`No core is left for the guest once the host keeps ${hostCount}.`);
  let candidates = wide.slice(keptWide);
  // Stay on the package with most candidate cores: crossing sockets costs more than it gives.
  const packages = new Map<number, number>();
  for (const c of candidates) packages.set(c.packageId, (packages.get(c.packageId) ?? 0) + 1);
  const bestPackage = [...packages.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  candidates = candidates.filter((c) => c.packageId === bestPackage);
  const wanted = options.guestCores ?? candidates.length;
  if (!Number.isInteger(wanted) || wanted < 1) throw new PinningError(`The guest needs at least one core, not ${wanted}.`);
  const guestCores = candidates.slice(0, wanted);
  const threads = width;
  const vcpus = guestCores.flatMap((c) => c.threads);
  const used = new Set(vcpus);
  const hostCpus = cores.flatMap((c) => c.threads).filter((cpu) => !used.has(cpu)).sort((a, b) => a - b);
  return { vcpus, hostCpus, topology: { sockets: 1, dies: 1, cores: guestCores.length, threads }, guestCores };
}

/** Compact cpuset text as libvirt writes it: 0-3,8,10-11. */
export function formatCpuset(cpus: number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const a = sorted[i];
    const b = sorted[j];
    parts.push(a === b ? `${a}` : `${a}-${b}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The <cputune> element for a pinning (one iothread, id 1). */
export function cputuneXml(pinning: CpuPinning): string {
  const host = formatCpuset(pinning.hostCpus);
  const lines = pinning.vcpus.map((cpu, vcpu) => `  <vcpupin vcpu='${vcpu}' cpuset='${cpu}'/>`);
  return ['<cputune>', ...lines, `  <emulatorpin cpuset='${host}'/>`, `  <iothreadpin iothread='1' cpuset='${host}'/>`, '</cputune>'].join('\n');
}

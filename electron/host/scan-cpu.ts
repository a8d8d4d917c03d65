// CPU vendor, model, virtualization flags, topology, /dev/kvm and nested virtualization.
import type { CpuInfo, CpuThread, CpuVendor } from '../../shared/host/model';
import type { HostReader } from './reader';

function vendorOf(vendorId: string | null): CpuVendor {
  if (vendorId === 'GenuineIntel') return 'intel';
  if (vendorId === 'AuthenticAMD' || vendorId === 'HygonGenuine') return 'amd';
  return 'other';
}

function nestedParam(value: string | null): boolean | null {
  if (value === null) return null;
  return value === 'Y' || value === '1';
}

export function scanCpu(r: HostReader): CpuInfo {
  const text = r.text('/proc/cpuinfo');
  let vendorId: string | null = null;
  let model: string | null = null;
  let flags: string[] = [];
  const topology: CpuThread[] = [];
  for (const block of (text ?? '').split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    const processor = fields.get('processor');
    if (processor === undefined) continue;
    vendorId ??= fields.get('vendor_id') ?? null;
    model ??= fields.get('model name') ?? null;
    if (flags.length === 0) flags = (fields.get('flags') ?? '').split(/\s+/).filter(Boolean);
    topology.push({
      processor: Number(processor),
      coreId: Number(fields.get('core id') ?? processor),
      packageId: Number(fields.get('physical id') ?? 0),
    });
  }
  const cores = new Set(topology.map((t) => `${t.packageId}:${t.coreId}`)).size;
  const vendor = vendorOf(vendorId);
  const kvmModule = vendor === 'amd' ? 'kvm_amd' : 'kvm_intel';
  return {
    vendor,
    vendorId,
    model,
    flags,
    virtualization: flags.includes('vmx') || flags.includes('svm'),
    cores,
    threads: topology.length,
    topology,
    kvmDevice: r.exists('/dev/kvm'),
    nested: nestedParam(r.attr(`/sys/module/${kvmModule}/parameters/nested`)),
  };
}

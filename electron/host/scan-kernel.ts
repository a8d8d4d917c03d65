// Kernel release, command line and its IOMMU/VFIO parameters, loaded, built-in and installed modules.
import type { IommuParamValue, KernelInfo } from '../../shared/host/model';
import type { HostReader } from './reader';

/** Parameters that matter for passthrough; everything else on the command line is kept only in `cmdline`. */
const RELEVANT_PARAM =
  /^(intel_iommu|amd_iommu|iommu|iommu\..+|vfio[-_].+|vfio|rd\.driver\..+|modprobe\.blacklist|module_blacklist|pcie_acs_override|video|nomodeset|kvm[-_.].+|efifb|vga|initcall_blacklist|pci|pcie_aspm|.+\.modeset)$/;

/** Splits a kernel command line the way the kernel does: spaces separate, double quotes group. */
export function splitCmdline(cmdline: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of cmdline.trim()) {
    if (ch === '"') quoted = !quoted;
    else if (/\s/.test(ch) && !quoted) {
      if (current) words.push(current);
      current = '';
    } else current += ch;
  }
  if (current) words.push(current);
  return words;
}

export function relevantParams(cmdline: string | null): Record<string, IommuParamValue> {
  const params: Record<string, IommuParamValue> = {};
  for (const word of splitCmdline(cmdline ?? '')) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    if (RELEVANT_PARAM.test(key)) params[key] = eq < 0 ? true : word.slice(eq + 1);
  }
  return params;
}

/** `kernel/drivers/vfio/pci/vfio-pci.ko.zst` → `vfio_pci`. */
function moduleName(line: string): string | null {
  const file = line.split(':')[0]?.trim().split('/').pop();
  if (!file) return null;
  const m = /^(.+?)\.ko(\.(xz|zst|gz))?$/.exec(file);
  return m?.[1] ? m[1].replace(/-/g, '_') : null;
}

function moduleList(text: string | null): string[] {
  if (text === null) return [];
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = moduleName(line);
    if (name) names.add(name);
  }
  return [...names].sort();
}

export function scanKernel(r: HostReader): KernelInfo {
  const release = r.attr('/proc/sys/kernel/osrelease');
  const cmdlineText = r.text('/proc/cmdline');
  const cmdline = cmdlineText === null ? null : cmdlineText.trim();
  const modulesText = r.text('/proc/modules');
  const modules = (modulesText ?? '')
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
  const base = release ? `/lib/modules/${release}` : null;
  return {
    release,
    cmdline,
    params: relevantParams(cmdline),
    modules,
    builtin: base ? moduleList(r.text(`${base}/modules.builtin`)) : [],
    available: base ? moduleList(r.text(`${base}/modules.dep`)) : [],
  };
}

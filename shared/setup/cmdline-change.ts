// What a planner wants done to the kernel command line, and what a bootloader module returns for it.
import type { Step } from '../plan/model';

export interface CmdlineChange {
  /** Parameters that must hold afterwards, e.g. `intel_iommu=on`, `vfio-pci.ids=10de:2206`. */
  add: string[];
  /** Parameters to strip: a name (`vfio-pci.ids`, any value) or an exact `name=value`. */
  removeKeys: string[];
  /** Why, for the step reasons: "enable the IOMMU", ... */
  purpose: string;
}

export interface CmdlineEdit {
  steps: Step[];
  /** Where the command line lives on this machine, for messages: "/etc/default/grub (GRUB_CMDLINE_LINUX_DEFAULT)". */
  where: string;
  warnings: string[];
}

/** Files in the host model whose path starts with `dir` and ends with `suffix`, sorted. */
export const filesUnder = (files: Record<string, string>, dir: string, suffix: string): string[] =>
  Object.keys(files)
    .filter((p) => p.startsWith(dir.endsWith('/') ? dir : `${dir}/`) && p.endsWith(suffix))
    .sort();

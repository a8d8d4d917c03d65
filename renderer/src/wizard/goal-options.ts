// The options the wizard passes to a goal's planner, from what the person chose. Planners validate
// them (a wrong option comes back as a readable error and nothing changes).
export interface WizardChoices {
  gpu: string | null;
  vmName?: string;
  memoryMiB?: number;
  cpus?: number;
  hugepages?: boolean;
  pinCpus?: boolean;
}

export const goalOptions = (goal: string, c: WizardChoices): Record<string, string | boolean | number> => {
  const o: Record<string, string | boolean | number> = {};
  if (c.gpu && !/^iommu/.test(goal)) o.gpu = c.gpu;
  if (c.vmName && /^(vm|hook|handoff|lg|looking)/.test(goal)) o.name = c.vmName;
  if (/^vm-create/.test(goal)) {
    if (c.memoryMiB) o.memory = c.memoryMiB;
    if (c.cpus) o.cpus = c.cpus;
    if (c.hugepages !== undefined) o.hugepages = c.hugepages;
    if (c.pinCpus !== undefined) o.pin = c.pinCpus;
  }
  return o;
};

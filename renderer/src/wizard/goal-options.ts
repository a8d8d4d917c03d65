// The options the wizard passes to a goal's planner, from what the person chose. Planners validate
// them (a wrong option comes back as a readable error and nothing changes).
export interface WizardChoices {
  gpu: string | null;
  vmName?: string;
  memoryMiB?: number;
  cpus?: number;
  hugepages?: boolean;
  pinCpus?: boolean;
  resolution?: string;
}

type Options = Record<string, string | boolean | number>;

const defined = (o: Record<string, string | boolean | number | null | undefined>): Options =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Options;

export const goalOptions = (goal: string, c: WizardChoices): Options => {
  if (goal === 'iommu') return {};
  if (goal === 'vfio-early') return defined({ gpu: c.gpu });
  if (goal === 'looking-glass') return defined({ vm: c.vmName, resolution: c.resolution });
  if (/^vm-create/.test(goal))
    return defined({ name: c.vmName, gpu: c.gpu, memory: c.memoryMiB, cpus: c.cpus, hugepages: c.hugepages, pin: c.pinCpus });
  if (/^(vm|hook|handoff)/.test(goal)) return defined({ name: c.vmName, gpu: c.gpu });
  return defined({ gpu: c.gpu });
};

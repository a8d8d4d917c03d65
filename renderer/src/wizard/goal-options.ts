// The options the wizard passes to a goal's planner, from what the person chose. Each goal's schema
// (shared/plan/goals.registry.ts) validates them in main; test/renderer/logic.test.ts checks that what
// this builds passes every schema, so a renamed option cannot silently break a wizard button.
import type { DoctorReport } from '../../../shared/analyze/report';

export interface WizardChoices {
  gpu: string | null;
  vmName?: string;
  /** The VM's memory, for the huge pages reservation. */
  memoryMiB?: number;
  mode?: DoctorReport['recommendation']['mode'];
  resolution?: string;
  /** SR-IOV: the physical function and how many virtual functions it gets. */
  sriov?: { device: string; count: number };
}

type Options = Record<string, string | boolean | number>;

const defined = (o: Record<string, string | boolean | number | null | undefined>): Options =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Options;

export const goalOptions = (goal: string, c: WizardChoices): Options => {
  switch (goal) {
    case 'iommu':
    case 'hook-install':
      return {};
    case 'vfio-early':
      return defined({ gpu: c.gpu });
    case 'handoff-config':
      return defined({ vm: c.vmName, gpu: c.gpu, mode: c.mode === 'none' ? undefined : c.mode });
    case 'hugepages':
      return defined({ vmMemoryMib: c.memoryMiB });
    case 'looking-glass':
      return defined({ vm: c.vmName, resolution: c.resolution });
    case 'sriov-vfs':
      return defined({ device: c.sriov?.device, count: c.sriov?.count });
    default:
      return defined({ gpu: c.gpu });
  }
};

// Goal `iommu`: the kernel parameters that turn the IOMMU on, through the bootloader this machine uses.
import type { HostModel } from '../host/model';
import { emptyPlan, type Plan } from '../plan/model';
import { planCmdline } from './cmdline-target';
import { firmwareIommuAdvice, iommuOffInFirmware } from './host-facts';
import { IOMMU_BLOCKERS, iommuParams } from './iommu-params';

export function planIommu(host: HostModel): Plan {
  const plan = emptyPlan('iommu', 'Turn on the IOMMU for GPU passthrough');
  const params = iommuParams(host);
  const edit = planCmdline(host, {
    add: params,
    removeKeys: IOMMU_BLOCKERS,
    purpose: `turn on the IOMMU (${params.join(' ')})`,
  });
  plan.steps = edit.steps;
  plan.warnings = [...edit.warnings];
  // The parameters are still planned: they are needed as soon as the firmware option is switched on.
  if (iommuOffInFirmware(host)) plan.warnings.unshift(firmwareIommuAdvice(host));
  if (plan.steps.length > 0) {
    plan.title = `Add ${params.join(' ')} to the kernel command line (${edit.where})`;
    plan.reboot =
      'The kernel reads its command line only at boot: the IOMMU parameters take effect after a restart.';
  }
  return plan;
}

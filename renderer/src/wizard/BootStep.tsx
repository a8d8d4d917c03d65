// Step 3: boot setup (IOMMU on the kernel command line, early vfio binding, initramfs).
import { useAppStore } from '../store/context';
import { JournalList } from '../plans/JournalList';
import { Notice } from '../ui/Notice';
import { goalOptions } from './goal-options';
import { GoalPicker } from './GoalPicker';
import { effectiveGpu, goalsForStep } from './steps';

export const BootStep = () => {
  const { goals, report, gpu, journal } = useAppStore((s) => ({
    goals: s.goals,
    report: s.report,
    gpu: effectiveGpu(s.report, s.selectedGpu)?.address ?? null,
    journal: s.journal,
  }));
  const iommuOn = report?.iommu.state === 'on';
  const waitingForReboot = !iommuOn && journal.some((j) => j.state === 'applied');
  return (
    <div>
      <p className="lead">
        Turn the IOMMU on at boot and reserve the GPU for the VM early, before any graphics driver takes it.
      </p>
      {iommuOn ? (
        <Notice kind="ok" title="The IOMMU is on">
          <p>The kernel already runs with the IOMMU enabled.</p>
        </Notice>
      ) : report?.iommu.state === 'off-in-firmware' ? (
        <Notice kind="warn" title="First: the firmware setting">
          <p>
            The IOMMU is off in the firmware, and only the firmware setup can turn it on (“Check this machine” says where).
            The kernel parameters below are needed as well; they take effect once the firmware setting is on.
          </p>
        </Notice>
      ) : waitingForReboot ? (
        <Notice kind="info" title="Reboot needed">
          <p>
            The boot changes are applied but the running kernel started before them. Reboot, then open GPU Ferry again:
            it will re-check the machine and continue.
          </p>
        </Notice>
      ) : null}
      <GoalPicker goals={goalsForStep('boot', goals, report?.recommendation.mode)} options={(g) => goalOptions(g, { gpu })} />
      <h3>Journal</h3>
      <JournalList />
    </div>
  );
};

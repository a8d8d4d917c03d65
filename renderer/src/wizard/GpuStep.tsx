// Step 2: pick the GPU the VM gets: a whole GPU, or a virtual function of one that SR-IOV shares.
import { useEffect } from 'react';
import { deviceKind } from '../../../shared/host/device-kind';
import { useAppStore } from '../store/context';
import { EmptyState } from '../ui/Notice';
import { effectiveGpu } from './steps';
import { GpuCard } from './GpuCard';
import { sharedGpus, SriovPanel } from './SriovPanel';

export const GpuStep = () => {
  const { report, selectedGpu, selectGpu, classes, loadClasses } = useAppStore((s) => ({
    classes: s.pciClasses,
    loadClasses: s.loadPciClasses,
    report: s.report,
    selectedGpu: s.selectedGpu,
    selectGpu: s.selectGpu,
  }));
  const peers = report?.gpus.some((g) => g.groupPeers.length > 0) ?? false;
  useEffect(() => {
    if (peers && classes === null) void loadClasses();
  }, [peers, classes, loadClasses]);
  if (!report || report.gpus.length === 0)
    return (
      <EmptyState title="No GPU found">
        <p>GPU Ferry found no display controller on this machine.</p>
      </EmptyState>
    );
  const chosen = effectiveGpu(report, selectedGpu);
  // A shared GPU's VFs are chosen in its SR-IOV section, with their groups, not as GPUs of their own.
  const vfs = new Set(sharedGpus(report.sriov).flatMap((pf) => pf.virtualFunctions.map((vf) => vf.address)));
  const cards = report.gpus.filter((gpu) => !vfs.has(gpu.address));
  const laptopCheck = report.checks.find((c) => /laptop|optimus|mux/i.test(c.id));
  return (
    <div>
      <p className="lead">Choose the GPU the Windows VM gets.</p>
      {laptopCheck && <p className="warn-line">{laptopCheck.message}</p>}
      <fieldset className="gpu-list">
        <legend className="sr-only">GPUs on this machine</legend>
        <ul>
          {cards.map((gpu) => (
            <GpuCard
              key={gpu.address}
              gpu={gpu}
              selected={chosen?.address === gpu.address}
              recommended={report.recommendation.gpu === gpu.address}
              othersPresent={cards.length > 1}
              onSelect={() => selectGpu(gpu.address)}
              describe={(address) => deviceKind(classes?.[address])}
            />
          ))}
        </ul>
      </fieldset>
      <SriovPanel chosen={chosen?.address ?? null} onChoose={selectGpu} />
    </div>
  );
};

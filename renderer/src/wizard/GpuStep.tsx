// Step 2: pick the GPU the VM gets.
import { useEffect } from 'react';
import { deviceKind } from '../../../shared/host/device-kind';
import { useAppStore } from '../store/context';
import { EmptyState } from '../ui/Notice';
import { effectiveGpu } from './steps';
import { GpuCard } from './GpuCard';

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
  const laptopCheck = report.checks.find((c) => /laptop|optimus|mux/i.test(c.id));
  return (
    <div>
      <p className="lead">Choose the GPU the Windows VM gets.</p>
      {laptopCheck && <p className="warn-line">{laptopCheck.message}</p>}
      <fieldset className="gpu-list">
        <legend className="sr-only">GPUs on this machine</legend>
        <ul>
          {report.gpus.map((gpu) => (
            <GpuCard
              key={gpu.address}
              gpu={gpu}
              selected={chosen?.address === gpu.address}
              recommended={report.recommendation.gpu === gpu.address}
              othersPresent={report.gpus.length > 1}
              onSelect={() => selectGpu(gpu.address)}
              describe={(address) => deviceKind(classes?.[address])}
            />
          ))}
        </ul>
      </fieldset>
    </div>
  );
};

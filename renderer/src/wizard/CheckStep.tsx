// Step 1: the doctor checklist, each problem with its fix.
import { useAppStore } from '../store/context';
import { ErrorNotice, StatusBadge } from '../ui/Notice';
import { FirmwareAdvice } from './FirmwareAdvice';

const iommuText: Record<string, string> = {
  on: 'IOMMU is on',
  'off-in-kernel': 'IOMMU is off in the kernel (the boot setup step fixes this)',
  'off-in-firmware': 'IOMMU (VT-d / AMD-Vi) is off in the firmware settings',
  unknown: 'IOMMU state unknown',
};

export const CheckStep = () => {
  const { report, hostError, rescan, scanning } = useAppStore((s) => ({
    report: s.report,
    hostError: s.hostError,
    rescan: s.rescan,
    scanning: s.scanning,
  }));
  if (!report) return <ErrorNotice error={hostError} onRetry={() => void rescan()} />;
  const problems = report.checks.filter((c) => c.status !== 'pass').length;
  return (
    <div>
      <p className="lead">
        {problems === 0
          ? 'Everything GPU Ferry checks looks good.'
          : `${problems} ${problems === 1 ? 'thing needs' : 'things need'} attention. Each one says how to fix it.`}
      </p>
      {report.iommu.state === 'off-in-firmware' && <FirmwareAdvice vendor={report.cpu.vendor} />}
      <dl className="facts">
        <div>
          <dt>CPU</dt>
          <dd>
            {report.cpu.model ?? report.cpu.vendor} ·{' '}
            {report.cpu.virtualization ? 'virtualization on' : 'virtualization off'}
          </dd>
        </div>
        <div>
          <dt>IOMMU</dt>
          <dd>
            {iommuText[report.iommu.state]} · {report.iommu.groups} groups
          </dd>
        </div>
        <div>
          <dt>Suggested mode</dt>
          <dd>
            {report.recommendation.mode === 'single-gpu'
              ? 'Single GPU: the desktop closes while the VM runs'
              : report.recommendation.mode === 'dual-gpu'
                ? 'Two GPUs: the host keeps one, the VM gets the other'
                : 'None yet'}
          </dd>
        </div>
      </dl>
      <ul className="checklist" aria-label="Checks">
        {report.checks.map((c) => (
          <li key={c.id} className={`check check-${c.status}`}>
            <StatusBadge status={c.status} />
            <div>
              <p>{c.message}</p>
              {c.fix && (
                <p className="fix">
                  <strong>How to fix:</strong> {c.fix}
                </p>
              )}
            </div>
          </li>
        ))}
      </ul>
      {report.recommendation.reasons.length > 0 && (
        <details>
          <summary>Why this mode</summary>
          <ul>
            {report.recommendation.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" className="btn" onClick={() => void rescan()} disabled={scanning}>
        {scanning ? 'Checking…' : 'Check again'}
      </button>
    </div>
  );
};

// A GPU as a card: name, role, verdict, its IOMMU group drawn with every member, and warnings.
import type { GpuReport } from '../../../shared/analyze/report';

const verdict = (gpu: GpuReport): { cls: 'pass' | 'warn' | 'fail'; text: string } => {
  if (gpu.isolation === 'isolated') return { cls: 'pass', text: 'Can be passed through: its IOMMU group holds only this GPU.' };
  if (gpu.isolation === 'shared')
    return {
      cls: 'fail',
      text: `Shares its IOMMU group with ${gpu.groupPeers.length} other ${gpu.groupPeers.length === 1 ? 'device' : 'devices'}; they would all have to go to the VM.`,
    };
  return { cls: 'warn', text: 'Unknown until the IOMMU is on (boot setup turns it on).' };
};

const role = (gpu: GpuReport, recommended: boolean): string =>
  [
    gpu.integrated ? 'Integrated' : 'Discrete',
    gpu.drivesHostDisplay ? 'drives your screen now' : 'not driving a screen',
    gpu.displayOutputs === false ? 'no display outputs' : null,
    recommended ? 'recommended for the VM' : null,
  ]
    .filter(Boolean)
    .join(' · ');

export const GpuCard = ({
  gpu,
  selected,
  recommended,
  othersPresent,
  onSelect,
}: {
  gpu: GpuReport;
  selected: boolean;
  recommended: boolean;
  /** Another GPU exists, so the host could keep that one. */
  othersPresent: boolean;
  onSelect: () => void;
}) => {
  const v = verdict(gpu);
  const members = [...gpu.functions, ...gpu.groupPeers];
  return (
    <li className={`gpu-card${selected ? ' selected' : ''}`}>
      <label className="gpu-pick">
        <input type="radio" name="gpu" checked={selected} onChange={onSelect} value={gpu.address} />
        <span className="gpu-name">{gpu.name}</span>
      </label>
      <p className="muted small">
        <code>{gpu.address}</code> · {gpu.vendorName ?? gpu.vendorId} · driver {gpu.driver ?? 'none'}
      </p>
      <p className="small">{role(gpu, recommended)}</p>
      <p className={`verdict verdict-${v.cls}`}>{v.text}</p>
      <figure className="group" aria-label={`IOMMU group ${gpu.iommuGroup ?? 'unknown'}`}>
        <figcaption>IOMMU group {gpu.iommuGroup ?? '—'}</figcaption>
        <ul>
          {members.map((m) => (
            <li key={m} className={gpu.groupPeers.includes(m) ? 'member peer' : 'member own'}>
              <code>{m}</code>
              <span className="small">{gpu.groupPeers.includes(m) ? 'other device' : 'this GPU'}</span>
            </li>
          ))}
          {members.length === 0 && <li className="member">No group: IOMMU is off</li>}
        </ul>
      </figure>
      {gpu.identicalIdsWith && gpu.identicalIdsWith.length > 0 && (
        <p className="warn-line" role="note">
          Identical vendor and device id as {gpu.identicalIdsWith.join(', ')}: binding by id would take both, so GPU Ferry
          binds this one by its address.
        </p>
      )}
      {gpu.drivesHostDisplay && othersPresent && (
        <p className="warn-line" role="note">
          Your desktop runs on this GPU. Give it to the VM only if you want the desktop to close while the VM runs;
          usually the VM gets the other GPU.
        </p>
      )}
      {gpu.displayOutputs === false && (
        <p className="warn-line" role="note">
          This looks like a laptop GPU without its own display outputs: the VM can use it for rendering, but you will need
          Looking Glass or a dummy plug to see the picture.
        </p>
      )}
    </li>
  );
};

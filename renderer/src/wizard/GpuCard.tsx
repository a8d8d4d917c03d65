// A GPU as a card: name, role, verdict, its IOMMU group drawn with every member, and warnings.
import type { GpuReport } from '../../../shared/analyze/report';

/** The other devices of the GPU's group, each once (the GPU's own functions are not "other"). */
const peersOf = (gpu: GpuReport): string[] => [...new Set(gpu.groupPeers)].filter((p) => !gpu.functions.includes(p));

const verdict = (gpu: GpuReport, describe: (address: string) => string): { cls: 'pass' | 'warn' | 'fail'; text: string } => {
  if (gpu.isolation === 'isolated') return { cls: 'pass', text: 'Can be passed through: its IOMMU group holds only this GPU.' };
  if (gpu.isolation === 'shared') {
    const peers = peersOf(gpu).map((p) => `${describe(p)} (${p})`);
    return {
      cls: 'fail',
      text: `Shares its IOMMU group with ${peers.length > 1 ? `${peers.slice(0, -1).join(', ')} and ${peers[peers.length - 1]}` : (peers[0] ?? 'another device')}; they would all have to go to the VM.`,
    };
  }
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
  describe,
}: {
  gpu: GpuReport;
  selected: boolean;
  recommended: boolean;
  /** Another GPU exists, so the host could keep that one. */
  othersPresent: boolean;
  onSelect: () => void;
  /** What a PCI device is ("USB controller"), from the scan; "device" when unknown. */
  describe: (address: string) => string;
}) => {
  const v = verdict(gpu, describe);
  // Each member once: the GPU's own functions, then the other devices of its group by what they are.
  const peers = peersOf(gpu);
  const members = [...gpu.functions, ...peers];
  const peer = (m: string) => peers.includes(m);
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
            <li key={m} className={peer(m) ? 'member peer' : 'member own'}>
              <code>{m}</code>
              <span className="small">{peer(m) ? describe(m) : m === gpu.address ? 'this GPU' : "this GPU's " + describe(m)}</span>
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
          This looks like a laptop GPU without its own display outputs: the VM can use it for rendering, and you see the
          picture through Looking Glass (with a virtual display in Windows) or a remote desktop; nothing can be plugged in.
        </p>
      )}
    </li>
  );
};

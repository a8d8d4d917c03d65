// The VM step's form: a new VM's name, memory, disk and installer ISOs, or an existing VM and the
// tuning to add to it, each choice explained. Controlled: the state lives in VmStep.
import type { VmSummary } from '../../../shared/ipc/contract';
import { TUNING_OPTIONS } from '../../../shared/vm/tuning-options';
import { useAppStore } from '../store/context';
import { InputFields } from './InputFields';
import { tuningText, type VmForm } from './vm-request';

/** `singleGpu`: the VM takes the GPU the desktop is on (no SPICE screen; it needs input of its own). */
type Props = { form: VmForm; vms: VmSummary[]; onChange: (patch: Partial<VmForm>) => void; singleGpu: boolean };

const Text = ({ label, value, onChange, hint, placeholder }: { label: string; value: string; onChange: (v: string) => void; hint?: string; placeholder?: string }) => (
  <label>
    {label}
    <input value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
    {hint && <span className="muted small">{hint}</span>}
  </label>
);

/** An ISO path: typed, or (desktop app) chosen with the system's file chooser. */
const IsoField = ({ label, value, onChange, hint, placeholder }: { label: string; value: string; onChange: (v: string) => void; hint?: string; placeholder: string }) => {
  const { shell, pickIso } = useAppStore((s) => ({ shell: s.info?.shell ?? 'browser', pickIso: s.pickIso }));
  const browse = async () => {
    const path = await pickIso();
    if (path) onChange(path);
  };
  return (
    <div className="iso-field">
      <label>
        {label}
        <input value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      </label>
      {shell === 'electron' ? (
        <button type="button" className="btn" onClick={() => void browse()} aria-label={`Browse for the ${label.replace(/ \(optional\)$/, '')}`}>
          Browse…
        </button>
      ) : (
        <span className="muted small">In a browser, type the full path: a web page cannot see where a file is.</span>
      )}
      {hint && <span className="muted small">{hint}</span>}
    </div>
  );
};

const CreateFields = ({ form, onChange, singleGpu }: Props) => (
  <>
    <div className="form">
      <Text label="Name" value={form.name} onChange={(name) => onChange({ name })} hint="Letters, digits, spaces; shown in virt-manager too." />
      <label>
        Memory (GiB)
        <input type="number" min={2} max={4096} value={form.memoryGiB} onChange={(e) => onChange({ memoryGiB: Number(e.target.value) })} />
        <span className="muted small">16 GiB suits most games; leave Linux at least 4 GiB.</span>
      </label>
      <label>
        Disk
        <select value={form.disk} onChange={(e) => onChange({ disk: e.target.value as VmForm['disk'] })}>
          <option value="new">A new disk image</option>
          <option value="existing">An image I already have</option>
        </select>
      </label>
      {form.disk === 'new' ? (
        <label>
          Disk size (GiB)
          <input type="number" min={16} max={65536} value={form.diskGiB} onChange={(e) => onChange({ diskGiB: Number(e.target.value) })} />
          <span className="muted small">It only takes the space Windows fills.</span>
        </label>
      ) : (
        <Text label="Disk image path" value={form.diskPath} onChange={(diskPath) => onChange({ diskPath })} placeholder="/var/lib/libvirt/images/windows.qcow2" />
      )}
      <IsoField label="Windows installer ISO (optional)" value={form.windowsIso} onChange={(windowsIso) => onChange({ windowsIso })} placeholder="/home/you/Downloads/Win11.iso" />
      <IsoField label="virtio drivers ISO (optional)" value={form.virtioIso} onChange={(virtioIso) => onChange({ virtioIso })} placeholder="/home/you/Downloads/virtio-win.iso" hint="Windows needs it to see the virtio disk during setup." />
    </div>
    <p className="muted small">
      A new VM gets everything below already: pinned cores, Hyper-V enlightenments, your CPU model, no memory balloon,
      UEFI with Secure Boot and TPM 2.0 (Windows 11 asks for both).
    </p>
    <InputFields form={form} onChange={onChange} singleGpu={singleGpu} />
  </>
);

const AttachFields = ({ form, vms, onChange }: Props) => {
  const toggle = (option: (typeof TUNING_OPTIONS)[number], on: boolean) =>
    onChange({ tune: on ? [...form.tune, option] : form.tune.filter((t) => t !== option) });
  return (
    <>
      <div className="form">
        <label>
          VM
          <select value={form.name} onChange={(e) => onChange({ name: e.target.value })}>
            {vms.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name}
                {v.gpu ? ` (has ${v.gpu})` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="tuning">
        <legend>Tuning to add</legend>
        {TUNING_OPTIONS.filter((o) => o !== 'hugepages').map((option) => (
          <label key={option} className="check-label">
            <input type="checkbox" checked={form.tune.includes(option)} onChange={(e) => toggle(option, e.target.checked)} />
            <span>
              {tuningText[option].label} <span className="muted small">— {tuningText[option].why}</span>
            </span>
          </label>
        ))}
        <p className="muted small">Anything of yours these replace is kept inside the VM's definition and comes back when you detach.</p>
      </fieldset>
    </>
  );
};

export const VmFields = (props: Props) => (
  <>
    {props.form.mode === 'create' ? <CreateFields {...props} /> : <AttachFields {...props} />}
    <label className="check-label">
      <input type="checkbox" checked={props.form.hugepages} onChange={(e) => props.onChange({ hugepages: e.target.checked })} />
      <span>
        {tuningText.hugepages.label} <span className="muted small">— {tuningText.hugepages.why}</span>
      </span>
    </label>
    {props.form.mode === 'create' || props.form.tune.includes('pinning') ? (
      <label className="inline-select">
        CPU cores left to Linux
        <select
          value={String(props.form.hostCores)}
          onChange={(e) => props.onChange({ hostCores: e.target.value === 'auto' ? 'auto' : Number(e.target.value) })}
        >
          <option value="auto">Automatic (1, or 2 on CPUs with more than 8 cores)</option>
          {[1, 2, 3, 4].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    ) : null}
  </>
);

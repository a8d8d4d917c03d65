// A new VM's keyboard, mouse and screen from the first boot: what the person will see the installer on
// (SPICE in virt-manager when the machine has a screen to spare, else the passed GPU's monitor), and the
// keyboard and mouse, listed from the machine: USB devices passed through whole, or evdev devices shared
// with a key combination.
import { useEffect } from 'react';
import { GRAB_TOGGLES, grabToggleWords, sameUsbId, type EvdevInputDevice, type GrabToggle, type UsbId } from '../../../shared/vm/vm-input';
import { useAppStore } from '../store/context';
import type { VmForm } from './vm-request';

type Props = { form: VmForm; onChange: (patch: Partial<VmForm>) => void; singleGpu: boolean };

type EvdevSelectProps = { label: string; devices: EvdevInputDevice[]; value: string | null; onChange: (path: string | null) => void };

/** One shared evdev device of a kind, or none. */
const EvdevSelect = ({ label, devices, value, onChange }: EvdevSelectProps) => (
  <label>
    {label}
    <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">None</option>
      {devices.map((d) => (
        <option key={d.path} value={d.path}>
          {d.name}
        </option>
      ))}
    </select>
  </label>
);

export const ScreenWords = ({ singleGpu }: { singleGpu: boolean }) =>
  singleGpu ? (
    <p className="note" role="note">
      <strong>Where Windows appears:</strong> this machine has one GPU, so the VM gets it whole. When the VM starts your
      desktop closes and the Windows installer appears on the monitor plugged into that GPU. Choose a keyboard and mouse
      for it below: your desktop is gone while Windows runs.
    </p>
  ) : (
    <p className="note" role="note">
      <strong>Where Windows appears:</strong> the VM gets a SPICE screen with a virtual keyboard and mouse. Open the VM in
      virt-manager to see the Windows installer; once the GPU driver is in, Windows shows on the GPU&apos;s monitor (or in
      Looking Glass, which sends your keyboard and mouse through the same connection).
    </p>
  );

export const InputFields = ({ form, onChange, singleGpu }: Props) => {
  const { devices, load } = useAppStore((s) => ({ devices: s.inputDevices, load: s.loadInputDevices }));
  useEffect(() => {
    if (devices === null) void load();
  }, [devices, load]);
  const input = form.input;
  const setInput = (patch: Partial<VmForm['input']>) => onChange({ input: { ...input, ...patch } });
  const toggleUsb = (id: UsbId, on: boolean) => setInput({ usb: on ? [...input.usb, id] : input.usb.filter((u) => !sameUsbId(u, id)) });
  const keyboards = devices?.evdev.filter((d) => d.kind === 'keyboard') ?? [];
  const mice = devices?.evdev.filter((d) => d.kind === 'mouse') ?? [];
  return (
    <fieldset className="tuning">
      <legend>Keyboard and mouse</legend>
      <p className="muted small">
        {singleGpu
          ? 'Needed: the VM has no other way to get input.'
          : 'Optional: the SPICE screen has a keyboard and mouse. For games, give the VM your own.'}
      </p>
      <div className="segmented" role="radiogroup" aria-label="How the VM gets a keyboard and mouse">
        <label>
          <input type="radio" name="input-method" checked={form.inputMethod === 'usb'} onChange={() => onChange({ inputMethod: 'usb' })} />
          USB devices (the VM owns them while it runs)
        </label>
        <label>
          <input type="radio" name="input-method" checked={form.inputMethod === 'evdev'} onChange={() => onChange({ inputMethod: 'evdev' })} />
          Shared with Linux (evdev: a key combination switches)
        </label>
      </div>
      {devices === null ? (
        <p className="muted small">Reading the devices plugged in…</p>
      ) : form.inputMethod === 'usb' ? (
        devices.usb.length === 0 ? (
          <p className="warn-line">No USB device was found. Plug in a keyboard and mouse, then read the devices again.</p>
        ) : (
          devices.usb.map((d) => {
            const id = { vendorId: d.vendorId, productId: d.productId };
            return (
              <label key={`${d.vendorId}:${d.productId}`} className="check-label">
                <input type="checkbox" checked={input.usb.some((u) => sameUsbId(u, id))} onChange={(e) => toggleUsb(id, e.target.checked)} />
                <span>
                  {d.name} <span className="muted small">— {d.kind}, {d.vendorId}:{d.productId}</span>
                </span>
              </label>
            );
          })
        )
      ) : (
        <div className="form">
          <EvdevSelect label="Keyboard" devices={keyboards} value={input.evdevKeyboard} onChange={(evdevKeyboard) => setInput({ evdevKeyboard })} />
          <EvdevSelect label="Mouse" devices={mice} value={input.evdevMouse} onChange={(evdevMouse) => setInput({ evdevMouse })} />
          <label>
            Switch between Linux and the VM with
            <select value={input.grabToggle} onChange={(e) => setInput({ grabToggle: e.target.value as GrabToggle })}>
              {GRAB_TOGGLES.map((t) => (
                <option key={t} value={t}>
                  {grabToggleWords[t]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <button type="button" className="btn btn-quiet" onClick={() => void load()}>
        Read the devices again
      </button>
    </fieldset>
  );
};

// From what the person filled in on the VM step to the request main reviews (shared/vm/vm-change-request.ts).
// Empty optional fields become null; numbers stay as typed (main validates and explains a wrong one).
import type { VmChangeRequest } from '../../../shared/ipc/contract';
import type { TuningOption } from '../../../shared/vm/tuning-options';
import { noInput, type VmInputChoice } from '../../../shared/vm/vm-input';

export interface VmForm {
  mode: 'create' | 'attach';
  /** The new VM's name (create) or the chosen existing VM (attach). */
  name: string;
  memoryGiB: number;
  /** 'auto': GPU Ferry leaves 1 core to Linux (2 above 8 cores). */
  hostCores: 'auto' | number;
  disk: 'new' | 'existing';
  diskGiB: number;
  diskPath: string;
  windowsIso: string;
  virtioIso: string;
  hugepages: boolean;
  tune: TuningOption[];
  /** The new VM's keyboard and mouse: USB devices by id, or evdev devices shared with a grab toggle. */
  inputMethod: 'usb' | 'evdev';
  input: VmInputChoice;
}

export const defaultVmForm = (existing: string | null): VmForm => ({
  mode: existing ? 'attach' : 'create',
  name: existing ?? 'windows',
  memoryGiB: 16,
  hostCores: 'auto',
  disk: 'new',
  diskGiB: 128,
  diskPath: '',
  windowsIso: '',
  virtioIso: '',
  hugepages: false,
  tune: ['pinning', 'hyperv', 'cpu', 'memballoon'],
  inputMethod: 'usb',
  input: noInput,
});

/** Only the chosen method's devices travel (the other method's picks stay in the form if switched back). */
const inputOf = (form: VmForm): VmInputChoice =>
  form.inputMethod === 'usb' ? { ...form.input, evdevKeyboard: null, evdevMouse: null } : { ...form.input, usb: [] };

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export const vmRequest = (form: VmForm, gpu: string | null): VmChangeRequest => {
  const hostCores = form.hostCores === 'auto' ? {} : { hostCores: form.hostCores };
  if (form.mode === 'attach') {
    // Huge pages has its own checkbox (it applies to new VMs too); the tuning list carries it last.
    const tune = [...form.tune.filter((t) => t !== 'hugepages'), ...(form.hugepages ? (['hugepages'] as const) : [])];
    return { kind: 'attach', name: form.name, gpu, tune, ...(tune.includes('pinning') ? hostCores : {}) };
  }
  return {
    kind: 'create',
    name: form.name.trim(),
    gpu,
    memoryMiB: Math.round(form.memoryGiB * 1024),
    hugepages: form.hugepages,
    disk: form.disk === 'new' ? { newGiB: form.diskGiB } : { existing: form.diskPath.trim() },
    windowsIso: orNull(form.windowsIso),
    virtioIso: orNull(form.virtioIso),
    input: inputOf(form),
    ...hostCores,
  };
};

/** What each tuning choice does, in words a gamer can weigh. */
export const tuningText: Record<TuningOption, { label: string; why: string }> = {
  pinning: { label: 'Pin CPU cores', why: "The VM's cores stay on the same host cores, whole cores with their SMT twins, one core left to Linux. Removes most stutter in games." },
  hyperv: { label: 'Hyper-V enlightenments', why: 'Windows talks to the hypervisor the fast way (timers, interrupts). Lower latency; no downside for games.' },
  cpu: { label: 'Host CPU model', why: 'Windows sees your real CPU and its features (host-passthrough), with the same core/thread layout.' },
  memballoon: { label: 'No memory balloon', why: 'Removes a device that can take memory back from a running VM; with a GPU passed through it only causes trouble.' },
  hugepages: { label: 'Huge pages', why: "Backs the VM's memory with 2 MiB pages: faster memory access, but that memory is reserved for the VM (set up below)." },
};

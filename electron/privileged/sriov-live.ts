// The live steps of the sriov-vfs goal on the running kernel: set a PF's sriov_numvfs, bind one of its
// VFs to vfio-pci. Root computes every sysfs path itself from the step's address (validated again here):
// the device's directory under /sys/bus/pci/devices must resolve into /sys/devices/ and end in that
// address, and /sys must be sysfs. Before a step writes anything, what it found is journaled
// (live<N>.json in the entry: the number of VFs and autoprobe; the VF's driver and driver_override), and
// undo, rollback and recovery put exactly that back from the journal. Simulating (--root), nothing is
// written: the step is reported not-executed (guard-sriov.ts checked it against the tree's scan). Like
// the guards, it never removes or binds a VF that holds a mounted filesystem or the network in use, and
// never removes a VF a process (a VM's QEMU) holds through VFIO. Undo checks first (liveUndoProblem) that
// a VF it releases is still a VF of the same PF and that nothing holds what it would release or remove.
import { closeSync, constants, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, statfsSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { pciAddress } from '../../shared/ipc/field-schemas';
import type { SriovNumVfsStep, Step, VfioBindVfStep } from '../../shared/plan/model';
import { inUseWhy } from './device-holders';
import { devicesInUse } from './guard-devices';
import { writeDurable, type Entry } from './journal';
import { emit } from './output';
import type { Tree } from './safe-fs';

export type LiveStep = SriovNumVfsStep | VfioBindVfStep;
export const isLiveStep = (step: Step): step is LiveStep => step.kind === 'sriov-numvfs' || step.kind === 'vfio-bind-vf';

const SYSFS_MAGIC = 0x62656572;
const DRIVER = /^[A-Za-z0-9_.-]{1,64}$/;

const numVfsFound = z.object({ numvfs: z.number().int().min(0).max(256), autoprobe: z.boolean() }).strict();
const bindFound = z.object({ driver: z.string().regex(DRIVER).nullable(), override: z.string().regex(DRIVER).nullable() }).strict();

class LiveError extends Error {}

/** The kernel's directory of the PCI device ADDRESS, computed here and checked to be the kernel's own. */
function deviceDir(address: string): string {
  if (!pciAddress.safeParse(address).success) throw new LiveError(`'${address}' is not a PCI address`);
  if (statfsSync('/sys').type !== SYSFS_MAGIC) throw new LiveError('/sys is not sysfs');
  let real: string;
  try {
    real = realpathSync(`/sys/bus/pci/devices/${address}`);
  } catch {
    throw new LiveError(`there is no PCI device ${address}`);
  }
  if (!real.startsWith('/sys/devices/') || !real.endsWith(`/${address}`)) throw new LiveError(`${address} is not where the kernel keeps PCI devices`);
  return real;
}

const readAttr = (dir: string, name: string): string => readFileSync(`${dir}/${name}`, 'utf8').trim();

function readCount(dir: string, name: string): number {
  const text = readAttr(dir, name);
  if (!/^(0|[1-9][0-9]{0,3})$/.test(text)) throw new LiveError(`${name} reads '${text.slice(0, 32)}'`);
  return Number(text);
}

/** Writes VALUE to a kernel attribute that must exist (never created, never through a link). */
function writeAttr(file: string, value: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_NOFOLLOW);
  try {
    writeSync(fd, value);
  } finally {
    closeSync(fd);
  }
}

const driverOf = (dir: string): string | null => {
  try {
    return readlinkSync(`${dir}/driver`).split('/').pop() ?? null;
  } catch {
    return null;
  }
};

/** The physical function a VF's physfn link points to (its sysfs directory), or '' when DIR is no VF. */
const physfnOf = (dir: string): string => {
  try {
    return realpathSync(`${dir}/physfn`);
  } catch {
    return '';
  }
};

/** driver_override as the kernel shows it: "(null)" when none. */
const overrideOf = (dir: string): string | null => {
  const text = readAttr(dir, 'driver_override');
  return text === '(null)' || text === '' ? null : text;
};

/** The PF's VFs that hold a mounted filesystem or the network interface in use, or a process holds through VFIO, with why. */
function vfsInUse(dir: string): string[] {
  const inUse = devicesInUse('');
  return readdirSync(dir)
    .filter((name) => /^virtfn[0-9]{1,3}$/.test(name))
    .map((name) => realpathSync(`${dir}/${name}`).split('/').pop() ?? '')
    .flatMap((vf) => {
      const why = inUseWhy('', inUse, vf);
      return why ? [`${vf} ${why}`] : [];
    });
}

/**
 * Sets sriov_numvfs to COUNT with autoprobe as given; the kernel changes a nonzero number only through 0.
 * Never while a VF that would go holds a mounted filesystem or the network interface in use.
 */
function setNumVfs(dir: string, count: number, autoprobe: boolean): void {
  const current = readCount(dir, 'sriov_numvfs');
  if (current > 0 && current !== count) {
    const busy = vfsInUse(dir);
    if (busy.length > 0) throw new LiveError(`not removing the virtual functions: ${busy.join('; ')}`);
    writeAttr(`${dir}/sriov_numvfs`, '0');
  }
  writeAttr(`${dir}/sriov_drivers_autoprobe`, autoprobe ? '1' : '0');
  if (count > 0 && current !== count) writeAttr(`${dir}/sriov_numvfs`, String(count));
  const now = readCount(dir, 'sriov_numvfs');
  if (now !== count) throw new LiveError(`sriov_numvfs is ${now}, not ${count}`);
}

/** Waits (generously: a loaded machine) until the device's driver is WANT. */
async function driverBecomes(dir: string, want: string | null): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (driverOf(dir) === want) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return driverOf(dir) === want;
}

/** Unbinds the device from whatever driver has it (through that driver's own unbind file). */
function unbind(dir: string, address: string): void {
  if (driverOf(dir) !== null) writeAttr(`${dir}/driver/unbind`, address);
}

const foundFile = (entry: Entry, step: number): string => `${entry.dir}/live${step}.json`;

function readFound<T>(entry: Entry, step: number, schema: z.ZodType<T>): T | null {
  const file = foundFile(entry, step);
  if (!existsSync(file) || lstatSync(file).isSymbolicLink()) return null;
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new LiveError(`entry ${entry.id}: live${step}.json is not what GPU Ferry writes`);
  return parsed.data;
}

async function numVfs(step: SriovNumVfsStep, i: number, entry: Entry): Promise<string> {
  const dir = deviceDir(step.device);
  if (existsSync(`${dir}/physfn`)) throw new LiveError(`${step.device} is a virtual function`);
  const total = existsSync(`${dir}/sriov_totalvfs`) ? readCount(dir, 'sriov_totalvfs') : 0;
  if (total === 0) throw new LiveError(`${step.device} does not offer SR-IOV`);
  if (step.count > total) throw new LiveError(`${step.device} offers at most ${total} virtual functions`);
  const found = { numvfs: readCount(dir, 'sriov_numvfs'), autoprobe: readAttr(dir, 'sriov_drivers_autoprobe') === '1' };
  if (found.numvfs !== step.before) throw new LiveError(`${step.device} has ${found.numvfs} virtual functions, the plan expected ${step.before}`);
  writeDurable(foundFile(entry, i), JSON.stringify(found), 0o600);
  setNumVfs(dir, step.count, step.autoprobe);
  return `sriov_numvfs of ${step.device} ${found.numvfs} → ${step.count}`;
}

async function bindVf(step: VfioBindVfStep, i: number, entry: Entry): Promise<string> {
  const dir = deviceDir(step.device);
  const pf = deviceDir(step.pf);
  if (physfnOf(dir) !== pf) throw new LiveError(`${step.device} is not a virtual function of ${step.pf}`);
  const why = devicesInUse('').get(step.device);
  if (why) throw new LiveError(`${step.device} ${why}`);
  const found = { driver: driverOf(dir), override: overrideOf(dir) };
  if (found.driver !== null && !DRIVER.test(found.driver)) throw new LiveError(`${step.device} has a driver named oddly`);
  writeDurable(foundFile(entry, i), JSON.stringify(bindFound.parse(found)), 0o600);
  if (found.driver !== 'vfio-pci') {
    writeAttr(`${dir}/driver_override`, 'vfio-pci');
    unbind(dir, step.device);
    writeAttr('/sys/bus/pci/drivers_probe', step.device);
    if (!(await driverBecomes(dir, 'vfio-pci'))) throw new LiveError(`${step.device} did not bind to vfio-pci (driver: ${driverOf(dir) ?? 'none'})`);
  }
  return `${step.device} on vfio-pci`;
}

/** Applies a live step; false (after saying why) when it failed: the caller rolls back. */
export async function applyLive(tree: Tree, entry: Entry, step: LiveStep, i: number): Promise<boolean> {
  if (tree.simulated) {
    emit({ type: 'result', step: i, status: 'not-executed', kind: step.kind, detail: liveSummary(step) });
    return true;
  }
  try {
    const detail = step.kind === 'sriov-numvfs' ? await numVfs(step, i, entry) : await bindVf(step, i, entry);
    emit({ type: 'result', step: i, status: 'ok', kind: step.kind, detail });
    return true;
  } catch (error) {
    emit({ type: 'progress', step: i, text: error instanceof Error ? error.message : String(error) });
    return false;
  }
}

/** What a live step does, as the review and a simulated run show it. */
export const liveSummary = (step: LiveStep): string =>
  step.kind === 'sriov-numvfs' ? `sriov_numvfs of ${step.device} ${step.before} → ${step.count}` : `${step.device} (a VF of ${step.pf}) on vfio-pci`;

/** The inverse as a person would run it by hand, for a `pending` line when it failed. */
export function manualInverse(entry: Entry, step: LiveStep, i: number): string {
  const sys = `/sys/bus/pci/devices/${step.device}`;
  try {
    if (step.kind === 'sriov-numvfs') {
      const found = readFound(entry, i, numVfsFound);
      if (found) return `echo 0 > ${sys}/sriov_numvfs; echo ${found.autoprobe ? 1 : 0} > ${sys}/sriov_drivers_autoprobe; echo ${found.numvfs} > ${sys}/sriov_numvfs`;
    } else {
      const found = readFound(entry, i, bindFound);
      if (found) return `echo ${step.device} > ${sys}/driver/unbind; echo ${found.override ?? ''} > ${sys}/driver_override${found.driver ? `; echo ${step.device} > /sys/bus/pci/drivers_probe` : ''}`;
    }
  } catch {
    // an unreadable record: say what undo meant to do
  }
  return `undo step ${i + 1} (${liveSummary(step)}) by hand`;
}

/** The VF's directory, or null when it is gone (its PF's VFs were removed since: nothing to release). */
function vfStillThere(address: string): string | null {
  try {
    return deviceDir(address);
  } catch {
    return null;
  }
}

/**
 * Why undoing STEP now would be wrong, checked before undo changes anything (the entry stays applied for
 * a later undo): releasing a VF from vfio-pci that is no longer a VF of the same PF (the VFs were made
 * again since, another device has the address) or that is in use; removing VFs one of which is in use.
 */
export function liveUndoProblem(tree: Tree, entry: Entry, step: LiveStep, i: number): { code: string; message: string } | null {
  if (tree.simulated) return null;
  try {
    if (step.kind === 'sriov-numvfs') {
      const found = readFound(entry, i, numVfsFound);
      if (!found) return null;
      const dir = deviceDir(step.device);
      const now = readCount(dir, 'sriov_numvfs');
      const busy = now > 0 && now !== found.numvfs ? vfsInUse(dir) : [];
      return busy.length > 0 ? { code: 'device-in-use', message: `not removing the virtual functions of ${step.device}: ${busy.join('; ')}; stop what uses them, then undo again` } : null;
    }
    const found = readFound(entry, i, bindFound);
    const dir = found && vfStillThere(step.device);
    if (!found || !dir) return null;
    if (driverOf(dir) === found.driver && overrideOf(dir) === found.override) return null; // nothing to change
    if (physfnOf(dir) !== deviceDir(step.pf)) return { code: 'not-a-vf-of-pf', message: `${step.device} is no longer a virtual function of ${step.pf}; not touching its driver` };
    const why = inUseWhy('', devicesInUse(''), step.device);
    return why ? { code: 'device-in-use', message: `not releasing ${step.device} from vfio-pci: it ${why}; stop what uses it, then undo again` } : null;
  } catch (error) {
    return { code: 'live-check-failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Puts back what a live step found (its journaled record); no record: the step wrote nothing. A VF that
 * is gone (its PF's VFs were removed since) has nothing left to release.
 */
export async function undoLive(tree: Tree, entry: Entry, step: LiveStep, i: number): Promise<boolean> {
  if (tree.simulated) {
    emit({ type: 'result', step: i, status: 'not-executed', kind: 'inverse', detail: liveSummary(step) });
    return true;
  }
  try {
    if (step.kind === 'sriov-numvfs') {
      const found = readFound(entry, i, numVfsFound);
      if (!found) return true;
      setNumVfs(deviceDir(step.device), found.numvfs, found.autoprobe);
      emit({ type: 'result', step: i, status: 'ok', kind: 'inverse', detail: `sriov_numvfs of ${step.device} back to ${found.numvfs}` });
      return true;
    }
    const found = readFound(entry, i, bindFound);
    const dir = found && vfStillThere(step.device);
    if (!found || !dir) return true;
    if (driverOf(dir) !== found.driver) unbind(dir, step.device);
    writeAttr(`${dir}/driver_override`, found.override ?? '\n');
    if (found.driver !== null && driverOf(dir) === null) {
      writeAttr('/sys/bus/pci/drivers_probe', step.device);
      await driverBecomes(dir, found.driver);
    }
    if (driverOf(dir) !== found.driver || overrideOf(dir) !== found.override) throw new LiveError(`${step.device} is on ${driverOf(dir) ?? 'no driver'}, not ${found.driver ?? 'no driver'} as before`);
    emit({ type: 'result', step: i, status: 'ok', kind: 'inverse', detail: `${step.device} back on ${found.driver ?? 'no driver'}` });
    return true;
  } catch (error) {
    emit({ type: 'progress', step: i, text: error instanceof Error ? error.message : String(error) });
    return false;
  }
}

// Turns a host spec (`gpu-ferry-host/1`) or a raw snapshot (`gpu-ferry-snapshot/1`) into a temporary
// root directory laid out like a real machine (../shared/host-spec.md §1), for the normal scanner.
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
  symlinkSync,
  chmodSync,
  existsSync,
  rmSync,
  statSync,
  lstatSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  hostSpecSchema,
  snapshotSchema,
  describeIssues,
  type HostSpec,
  type HostSpecPci,
  type HostSnapshot,
} from './spec-schema';

/** A spec or snapshot that fails validation; `problems` are "field: why" lines. */
export class HostSpecError extends Error {
  constructor(
    readonly problems: string[],
    readonly source?: string,
  ) {
    super(`${source ? source + ': ' : ''}invalid host description:\n  ${problems.join('\n  ')}`);
    this.name = 'HostSpecError';
  }
}

export interface MaterializedRoot {
  root: string;
  cleanup(): Promise<void>;
}

/** Known built-in module paths, so modules.builtin looks like a real one. */
const BUILTIN_PATHS: Record<string, string> = {
  vfio: 'kernel/drivers/vfio/vfio.ko',
  vfio_pci: 'kernel/drivers/vfio/pci/vfio-pci.ko',
  vfio_pci_core: 'kernel/drivers/vfio/pci/vfio-pci-core.ko',
  vfio_iommu_type1: 'kernel/drivers/vfio/vfio_iommu_type1.ko',
  vfio_virqfd: 'kernel/drivers/vfio/vfio_virqfd.ko',
  kvm: 'arch/x86/kvm/kvm.ko',
  kvm_intel: 'arch/x86/kvm/kvm-intel.ko',
  kvm_amd: 'arch/x86/kvm/kvm-amd.ko',
};

function modulePath(name: string, dir: string): string {
  return BUILTIN_PATHS[name] ?? `${dir}/${name.replace(/_/g, '-')}.ko`;
}

/**
 * Where temporary roots go: $GPU_FERRY_TMPDIR, else /dev/shm (a big host is thousands of tiny files;
 * tmpfs writes them ~50x faster than a loaded disk), else the system temp directory.
 */
function tempBase(): string {
  const fromEnv = process.env.GPU_FERRY_TMPDIR;
  if (fromEnv) return fromEnv;
  try {
    accessSync('/dev/shm', constants.W_OK);
    if (statSync('/dev/shm').isDirectory()) return '/dev/shm';
  } catch {
    // No usable /dev/shm: fall through.
  }
  return os.tmpdir();
}

function prepareRoot(dir: string | undefined): string {
  if (dir === undefined) return mkdtempSync(path.join(tempBase(), 'gpu-ferry-host-'));
  const root = path.resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw new HostSpecError([`target directory ${root} is not empty`]);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

/** Writes files and links under one root; every path is checked to stay inside it. */
class TreeWriter {
  constructor(readonly root: string) {}

  private at(p: string): string {
    const full = path.join(this.root, p);
    if (full !== this.root && !full.startsWith(this.root + path.sep))
      throw new HostSpecError([`path ${p} leaves the root`]);
    return full;
  }

  dir(p: string): void {
    mkdirSync(this.at(p), { recursive: true });
  }

  file(p: string, content: string, mode?: number): void {
    const full = this.at(p);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    if (mode !== undefined) chmodSync(full, mode);
  }

  /**
   * A link whose target is an absolute path inside the root, written the way sysfs writes it: relative,
   * up to the target's parent folder, then the target's own name (`device -> ../../../0000:0a:00.0`
   * even when the target is an ancestor of the link).
   */
  linkInside(p: string, target: string): void {
    const full = this.at(p);
    mkdirSync(path.dirname(full), { recursive: true });
    const upToParent = path.posix.relative(path.posix.dirname(p), path.posix.dirname(target)) || '.';
    symlinkSync(path.posix.join(upToParent, path.posix.basename(target)), full);
  }

  /**
   * Makes P private (others may not read it): a folder 0700, a file 0600, an empty 0600 file when absent.
   * Never through a link: a snapshot's links are written verbatim and may point anywhere on this machine.
   */
  restrict(p: string): void {
    const full = this.at(p);
    for (let at = full; at !== this.root; at = path.dirname(at))
      if (lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink())
        throw new HostSpecError([`private path ${p} goes through the link ${path.posix.join('/', path.relative(this.root, at))}`]);
    if (existsSync(full)) chmodSync(full, statSync(full).isDirectory() ? 0o700 : 0o600);
    else this.file(p, '', 0o600);
  }

  /** A link written verbatim (spec `symlinks`, snapshots). */
  linkVerbatim(p: string, target: string): void {
    const full = this.at(p);
    mkdirSync(path.dirname(full), { recursive: true });
    // A generated file at this path is replaced; a directory is never removed.
    rmSync(full, { force: true });
    symlinkSync(target, full);
  }
}

function parseSpec(spec: unknown, source?: string): HostSpec {
  const parsed = hostSpecSchema.safeParse(spec);
  if (!parsed.success) throw new HostSpecError(describeIssues(parsed.error), source);
  return parsed.data;
}

function writeCpu(w: TreeWriter, cpu: NonNullable<HostSpec['cpu']>): void {
  const flags = cpu.flags ?? [];
  const cores = cpu.cores ?? 1;
  const threads = cpu.threads ?? cores;
  const blocks: string[] = [];
  for (let i = 0; i < threads; i++) {
    blocks.push(
      [
        `processor\t: ${i}`,
        `vendor_id\t: ${cpu.vendor}`,
        `model name\t: ${cpu.model ?? 'Unknown CPU'}`,
        `physical id\t: 0`,
        `siblings\t: ${threads}`,
        `core id\t\t: ${i % cores}`,
        `cpu cores\t: ${cores}`,
        `flags\t\t: ${flags.join(' ')}`,
        '',
      ].join('\n'),
    );
  }
  w.file('/proc/cpuinfo', blocks.join('\n'));
  const virt = flags.includes('vmx') || flags.includes('svm');
  if (cpu.kvm ?? virt) w.file('/dev/kvm', '');
  if (cpu.nested !== undefined) {
    const kvmModule = cpu.vendor === 'AuthenticAMD' ? 'kvm_amd' : 'kvm_intel';
    w.file(
      `/sys/module/${kvmModule}/parameters/nested`,
      cpu.nested ? (kvmModule === 'kvm_amd' ? '1\n' : 'Y\n') : kvmModule === 'kvm_amd' ? '0\n' : 'N\n',
    );
  }
}

function writeKernel(w: TreeWriter, kernel: NonNullable<HostSpec['kernel']>): void {
  if (kernel.cmdline !== undefined) w.file('/proc/cmdline', kernel.cmdline + '\n');
  if (kernel.release !== undefined) w.file('/proc/sys/kernel/osrelease', kernel.release + '\n');
  const modules = kernel.modules ?? [];
  if (kernel.modules !== undefined) {
    w.file('/proc/modules', modules.map((m) => `${m} 16384 0 - Live 0x0000000000000000\n`).join(''));
  }
  for (const m of [...modules, ...(kernel.builtin ?? [])]) w.dir(`/sys/module/${m}`);
  if (kernel.release !== undefined) {
    const base = `/lib/modules/${kernel.release}`;
    w.file(
      `${base}/modules.builtin`,
      (kernel.builtin ?? []).map((m) => modulePath(m, 'kernel/misc') + '\n').join(''),
    );
    const installed = [...new Set([...modules, ...(kernel.available ?? [])])];
    w.file(`${base}/modules.dep`, installed.map((m) => modulePath(m, 'extra') + ':\n').join(''));
  }
}

/** Where each device's directory really lives: /sys/devices/pci<domain>:00/<bridges>/<address>. */
function devicePaths(pci: HostSpecPci[]): Map<string, string> {
  const byAddress = new Map(pci.map((d) => [d.address, d]));
  // A virtual function sits beside its physical function unless the spec says otherwise.
  const parentOf = (d: HostSpecPci) => d.parent ?? (d.physfn ? byAddress.get(d.physfn)?.parent : undefined);
  const paths = new Map<string, string>();
  for (const dev of pci) {
    // The schema refuses unknown parents and loops, so this walk ends at the root bus.
    const chain = [dev.address];
    for (
      let up = byAddress.get(parentOf(dev) ?? '');
      up !== undefined;
      up = byAddress.get(parentOf(up) ?? '')
    )
      chain.unshift(up.address);
    // host-spec §1: the root complex folder is pci<domain>:00 (real machines with several root
    // complexes name them by their first bus; the scanner reads only the addresses below it).
    paths.set(dev.address, `/sys/devices/pci${dev.address.slice(0, 4)}:00/${chain.join('/')}`);
  }
  return paths;
}

function writePci(w: TreeWriter, spec: HostSpec): void {
  const pci = spec.pci ?? [];
  const iommuOn = spec.iommu?.enabled === true;
  w.dir('/sys/bus/pci/devices');
  const vfsOf = new Map<string, string[]>();
  for (const dev of pci) {
    if (dev.physfn) vfsOf.set(dev.physfn, [...(vfsOf.get(dev.physfn) ?? []), dev.address]);
  }
  const paths = devicePaths(pci);
  const where = (address: string) => paths.get(address)!;
  for (const dev of pci) writeDevice(w, dev, iommuOn, vfsOf.get(dev.address) ?? [], where);
}

const up4 = (hex: string | undefined) => (hex ?? '0x0000').slice(2).toUpperCase();

/** The device's uevent as the kernel prints it (PCI_CLASS is %04X of the 24-bit class). */
function ueventOf(dev: HostSpecPci): string {
  const cls = parseInt(dev.class.slice(2), 16);
  const hex8 = (h: string | undefined) => up4(h).padStart(8, '0');
  return [
    ...(dev.driver ? [`DRIVER=${dev.driver}`] : []),
    `PCI_CLASS=${cls.toString(16).toUpperCase().padStart(4, '0')}`,
    `PCI_ID=${up4(dev.vendor)}:${up4(dev.device)}`,
    `PCI_SUBSYS_ID=${up4(dev.subsystemVendor)}:${up4(dev.subsystemDevice)}`,
    `PCI_SLOT_NAME=${dev.address}`,
    `MODALIAS=pci:v${hex8(dev.vendor)}d${hex8(dev.device)}sv${hex8(dev.subsystemVendor)}sd${hex8(dev.subsystemDevice)}` +
      `bc${dev.class.slice(2, 4).toUpperCase()}sc${dev.class.slice(4, 6).toUpperCase()}i${dev.class.slice(6, 8).toUpperCase()}`,
    '',
  ].join('\n');
}

function writeDevice(
  w: TreeWriter,
  dev: HostSpecPci,
  iommuOn: boolean,
  vfs: string[],
  where: (address: string) => string,
): void {
  const d = where(dev.address);
  w.dir(d);
  w.linkInside(`/sys/bus/pci/devices/${dev.address}`, d);
  w.file(`${d}/class`, dev.class + '\n');
  w.file(`${d}/vendor`, dev.vendor + '\n');
  w.file(`${d}/device`, dev.device + '\n');
  w.file(`${d}/subsystem_vendor`, (dev.subsystemVendor ?? '0x0000') + '\n');
  w.file(`${d}/subsystem_device`, (dev.subsystemDevice ?? '0x0000') + '\n');
  w.file(`${d}/uevent`, ueventOf(dev));
  if (dev.class.startsWith('0x03')) w.file(`${d}/boot_vga`, dev.bootVga ? '1\n' : '0\n');
  if (dev.resetMethods && dev.resetMethods.length > 0)
    w.file(`${d}/reset_method`, dev.resetMethods.join(' ') + '\n');
  w.file(`${d}/driver_override`, '(null)\n');
  if (dev.driver) {
    const drv = `/sys/bus/pci/drivers/${dev.driver}`;
    w.dir(drv);
    w.linkInside(`${d}/driver`, drv);
    w.linkInside(`${drv}/${dev.address}`, d);
  }
  if (iommuOn && dev.iommuGroup !== undefined) {
    const group = `/sys/kernel/iommu_groups/${dev.iommuGroup}`;
    w.linkInside(`${d}/iommu_group`, group);
    w.linkInside(`${group}/devices/${dev.address}`, d);
  }
  if (dev.drm) {
    // The card and its connectors live in the GPU's own drm/ folder; /sys/class/drm links to them.
    const card = `${d}/drm/${dev.drm.card}`;
    w.linkInside(`${card}/device`, d);
    w.linkInside(`/sys/class/drm/${dev.drm.card}`, card);
    for (const [connector, status] of Object.entries(dev.drm.connectors ?? {})) {
      const name = `${dev.drm.card}-${connector}`;
      w.file(`${card}/${name}/status`, status + '\n');
      w.linkInside(`${card}/${name}/device`, card);
      w.linkInside(`/sys/class/drm/${name}`, `${card}/${name}`);
    }
  }
  if (dev.sriovTotalVfs !== undefined) w.file(`${d}/sriov_totalvfs`, `${dev.sriovTotalVfs}\n`);
  if (dev.sriovNumVfs !== undefined || vfs.length > 0)
    w.file(`${d}/sriov_numvfs`, `${dev.sriovNumVfs ?? vfs.length}\n`);
  if (dev.sriovOffset !== undefined) w.file(`${d}/sriov_offset`, `${dev.sriovOffset}\n`);
  if (dev.sriovStride !== undefined) w.file(`${d}/sriov_stride`, `${dev.sriovStride}\n`);
  if (dev.sriovTotalVfs !== undefined) w.file(`${d}/sriov_drivers_autoprobe`, '1\n');
  if (dev.physfn) w.linkInside(`${d}/physfn`, where(dev.physfn));
  vfs.forEach((vf, n) => w.linkInside(`${d}/virtfn${n}`, where(vf)));
}

function writeUsers(w: TreeWriter, users: NonNullable<HostSpec['users']>): void {
  const passwd = ['root:x:0:0:root:/root:/bin/bash'];
  const groups = new Map<string, { gid: number; members: string[] }>([['root', { gid: 0, members: [] }]]);
  let nextGid = 900;
  for (const u of users) {
    passwd.push(`${u.name}:x:${u.uid}:${u.uid}::/home/${u.name}:/bin/bash`);
    groups.set(u.name, { gid: u.uid, members: [] });
  }
  for (const u of users) {
    for (const g of u.groups ?? []) {
      const entry = groups.get(g) ?? { gid: nextGid++, members: [] };
      entry.members.push(u.name);
      groups.set(g, entry);
    }
  }
  w.file('/etc/passwd', passwd.join('\n') + '\n');
  w.file(
    '/etc/group',
    [...groups].map(([name, g]) => `${name}:x:${g.gid}:${g.members.join(',')}`).join('\n') + '\n',
  );
}

function writeSpec(w: TreeWriter, spec: HostSpec): void {
  if (spec.cpu) writeCpu(w, spec.cpu);
  if (spec.firmware) {
    if (spec.firmware.efi) w.dir('/sys/firmware/efi/efivars');
    w.dir('/sys/firmware/acpi/tables');
    for (const t of spec.firmware.acpiTables ?? []) w.file(`/sys/firmware/acpi/tables/${t}`, '');
  }
  if (spec.kernel) writeKernel(w, spec.kernel);
  if (spec.iommu) {
    w.dir('/sys/class/iommu');
    w.dir('/sys/kernel/iommu_groups');
    if (spec.iommu.enabled)
      w.dir(`/sys/class/iommu/${spec.cpu?.vendor === 'AuthenticAMD' ? 'ivhd0' : 'dmar0'}`);
  }
  if (spec.pci) writePci(w, spec);
  if (spec.memory) {
    const lines = Object.entries(spec.memory).map(
      ([k, v]) => `${(k + ':').padEnd(16)}${String(v).padStart(8)}${k.startsWith('HugePages_') ? '' : ' kB'}`,
    );
    w.file('/proc/meminfo', lines.join('\n') + '\n');
  }
  for (const name of spec.commands ?? [])
    w.file(
      `/usr/bin/${name}`,
      '#!/bin/sh\n# placeholder from a host spec: exists for detection only\nexit 1\n',
      0o755,
    );
  if (spec.users) writeUsers(w, spec.users);
  // Verbatim content last, so a spec can override anything generated above.
  for (const [p, content] of Object.entries(spec.files ?? {})) w.file(p, content);
  for (const [p, target] of Object.entries(spec.symlinks ?? {})) w.linkVerbatim(p, target);
}

async function materialize(
  dir: string | undefined,
  write: (w: TreeWriter) => void,
): Promise<MaterializedRoot> {
  const root = prepareRoot(dir);
  const cleanup = () => rm(root, { recursive: true, force: true });
  try {
    write(new TreeWriter(root));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { root, cleanup };
}

/** Validates a `gpu-ferry-host/1` spec and writes its tree; throws HostSpecError naming the bad fields. */
export async function materializeHostSpec(
  spec: unknown,
  dir?: string,
  source?: string,
): Promise<MaterializedRoot> {
  const parsed = parseSpec(spec, source);
  return materialize(dir, (w) => writeSpec(w, parsed));
}

const isBinPath = (p: string) => /\/s?bin\/[^/]+$/.test(p);

/** Validates a raw `gpu-ferry-snapshot/1` capture and writes its files, directories and links. */
export async function materializeSnapshot(
  snapshot: unknown,
  dir?: string,
  source?: string,
): Promise<MaterializedRoot> {
  const parsed = snapshotSchema.safeParse(snapshot);
  if (!parsed.success) throw new HostSpecError(describeIssues(parsed.error), source);
  const snap: HostSnapshot = parsed.data;
  return materialize(dir, (w) => {
    for (const d of snap.dirs ?? []) w.dir(d);
    for (const [p, content] of Object.entries(snap.files))
      w.file(p, content, isBinPath(p) ? 0o755 : undefined);
    // A link that is also a parent of captured paths (sysfs device links) is kept as the directory.
    const parents = new Set<string>();
    for (const p of [...Object.keys(snap.files), ...(snap.dirs ?? [])]) {
      for (let d = path.posix.dirname(p); d !== '/'; d = path.posix.dirname(d)) parents.add(d);
    }
    for (const [p, target] of Object.entries(snap.symlinks ?? {}))
      if (!parents.has(p)) w.linkVerbatim(p, target);
    for (const p of snap.private ?? []) w.restrict(p);
  });
}

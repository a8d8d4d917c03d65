// The host model: everything GPU Ferry knows about a machine, read by electron/host/ from a root
// directory (real `/`, a materialized host spec, or a snapshot). Pure data; every analyzer and planner
// in shared/ works from this. Missing parts of a machine are represented, never thrown.

export type CpuVendor = 'intel' | 'amd' | 'other';

export interface CpuThread {
  /** Logical CPU number (`processor`). */
  processor: number;
  /** Physical core id (`core id`); SMT siblings share it within one package. */
  coreId: number;
  /** Package (`physical id`). */
  packageId: number;
}

export interface CpuInfo {
  vendor: CpuVendor;
  /** Raw `vendor_id`, e.g. GenuineIntel, AuthenticAMD; null when /proc/cpuinfo is missing. */
  vendorId: string | null;
  model: string | null;
  flags: string[];
  /** vmx or svm present. */
  virtualization: boolean;
  cores: number;
  threads: number;
  topology: CpuThread[];
  /** /dev/kvm exists. */
  kvmDevice: boolean;
  /** Nested virtualization as reported by kvm_intel/kvm_amd `nested` parameter; null when unknown. */
  nested: boolean | null;
}

export interface DrmInfo {
  card: string;
  /** connector name → status (`connected`, `disconnected`, `unknown`). */
  connectors: Record<string, string>;
}

export interface PciDevice {
  /** Full domain:bus:slot.function, lower case: 0000:0a:00.0 */
  address: string;
  /** Class as 6 hex digits without 0x, e.g. 030000. */
  classCode: string;
  /** 4 hex digits, lower case, no 0x. */
  vendorId: string;
  deviceId: string;
  subsystemVendorId: string | null;
  subsystemDeviceId: string | null;
  vendorName: string | null;
  deviceName: string | null;
  driver: string | null;
  driverOverride: string | null;
  iommuGroup: number | null;
  /** Only for display-class devices; null when the attribute is absent. */
  bootVga: boolean | null;
  resetMethods: string[];
  drm: DrmInfo | null;
  sriovTotalVfs: number | null;
  sriovNumVfs: number | null;
  /** Routing-id offset of the first VF and the stride between VFs (sriov_offset, sriov_stride); null when absent. */
  sriovOffset: number | null;
  sriovStride: number | null;
  /** Address of the physical function when this device is an SR-IOV virtual function. */
  physfn: string | null;
  /** Addresses of this device's virtual functions. */
  virtfns: string[];
  /**
   * The bridges and switch ports above the device, root port first, its own parent last, read from the
   * device's real sysfs path (/sys/devices/pci0000:00/<bridges>/<address>); empty on the root bus.
   */
  bridges: string[];
}

export type IommuParamValue = string | true;

export interface IommuInfo {
  /** Entries of /sys/class/iommu (dmar0, ivhd0, ...). */
  units: string[];
  /** Group number → member addresses, from /sys/kernel/iommu_groups. */
  groups: Record<number, string[]>;
  /** ACPI DMAR or IVRS table present. */
  firmwareTable: 'DMAR' | 'IVRS' | null;
}

export interface KernelInfo {
  release: string | null;
  cmdline: string | null;
  /** IOMMU/vfio related parameters from the cmdline: intel_iommu, amd_iommu, iommu, vfio-pci.ids, ... */
  params: Record<string, IommuParamValue>;
  /** Loaded modules (/proc/modules). */
  modules: string[];
  /** Built-in module names (modules.builtin), with `-` normalised to `_`. */
  builtin: string[];
  /** Module names available as .ko under /lib/modules/<release> (best effort; used for kvmfr detection). */
  available: string[];
}

export interface OsRelease {
  id: string | null;
  idLike: string[];
  name: string | null;
  versionId: string | null;
  variantId: string | null;
}

export type BootloaderKind =
  | 'grub'
  | 'grubby-bls'
  | 'systemd-boot'
  | 'kernelstub'
  | 'refind'
  | 'limine'
  | 'rpm-ostree'
  | 'unknown';

export interface BootloaderInfo {
  kind: BootloaderKind;
  /** Paths of the configuration that the planner edits or that decided the detection. */
  evidence: string[];
  /** For systemd-boot: the ESP mount point found (/boot, /efi, /boot/efi) and whether UKIs are used. */
  espPath: string | null;
  uki: boolean;
}

export type InitramfsKind = 'mkinitcpio' | 'dracut' | 'initramfs-tools' | 'booster' | 'none' | 'unknown';

export type DisplayManagerKind = 'gdm' | 'sddm' | 'lightdm' | 'greetd' | 'ly' | 'lxdm' | 'xdm' | 'other' | 'none';

export interface DisplayManagerInfo {
  kind: DisplayManagerKind;
  /** The unit behind display-manager.service, e.g. sddm.service; null when there is none. */
  unit: string | null;
}

export interface LibvirtInfo {
  virsh: boolean;
  libvirtd: boolean;
  version: string | null;
  hooksDir: string;
  hooksDirExists: boolean;
  /** A user's own /etc/libvirt/hooks/qemu dispatcher exists. */
  qemuDispatcher: boolean;
  /** /etc/libvirt/qemu.conf content, when present. */
  qemuConf: string | null;
}

export interface LookingGlassInfo {
  client: boolean;
  clientPath: string | null;
  clientVersion: string | null;
  kvmfrAvailable: boolean;
  kvmfrLoaded: boolean;
}

export interface SecurityInfo {
  apparmor: boolean;
  selinux: boolean;
}

export interface UserInfo {
  name: string;
  uid: number;
  groups: string[];
  /**
   * True for the person running GPU Ferry (the login uid of the scanning process, kept across sudo and
   * pkexec), false for everyone else; absent when the login uid is unknown (a host spec).
   */
  current?: boolean;
}

export interface HostModel {
  format: 'gpu-ferry-host-model/1';
  /** Root directory the model was read from ("/" for the real machine). */
  root: string;
  cpu: CpuInfo;
  firmware: { efi: boolean; acpiTables: string[] };
  kernel: KernelInfo;
  iommu: IommuInfo;
  pci: PciDevice[];
  os: OsRelease;
  bootloader: BootloaderInfo;
  initramfs: InitramfsKind;
  displayManager: DisplayManagerInfo;
  libvirt: LibvirtInfo;
  lookingGlass: LookingGlassInfo;
  security: SecurityInfo;
  users: UserInfo[];
  /** Executables found in the system's bin directories that we care about (grub-mkconfig, dracut, ...). */
  commands: string[];
  /**
   * Content of the configuration files planners need (absolute path → text), read from the list in
   * electron/host/config-files.ts. Absent paths are absent keys. Keeps planners pure.
   */
  files: Record<string, string>;
  /**
   * Configuration files (or folders) of that list that not every user may read (the file denies others
   * read, or a folder above it denies them search): their content is left out of `files` whoever scans,
   * root included, so a plan computed as the user and the one root computes agree, and root never sends
   * back what the user may not read. Planners edit them by rule (a `private-edit` step).
   */
  privateFiles: string[];
  /** Memory in KiB from /proc/meminfo (MemTotal, MemAvailable, HugePages_Total, HugePages_Free, Hugepagesize). */
  memory: Record<string, number>;
  /** Non-fatal problems met while reading (unreadable files, odd values). */
  notes: string[];
}

// The doctor report: the stable contract of `gpu-ferry doctor --json` (../shared/host-spec.md §2).
// Extend with optional fields; never rename or remove.

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  /** A fix a person can follow; required (non-null) for warn and fail. */
  fix: string | null;
}

export type Isolation = 'isolated' | 'shared' | 'unknown';

export interface GpuReport {
  address: string;
  vendorId: string;
  deviceId: string;
  name: string;
  driver: string | null;
  integrated: boolean;
  /** Extension: the hardware fact that decided integrated or discrete. */
  integratedBecause?: string;
  drivesHostDisplay: boolean;
  iommuGroup: number | null;
  functions: string[];
  isolation: Isolation;
  groupPeers: string[];
  /** Extensions (optional): vendor name, class, 3D controller without outputs, identical-id twins, reset. */
  vendorName?: string;
  classCode?: string;
  displayOutputs?: boolean;
  identicalIdsWith?: string[];
  resetMethods?: string[];
  sriov?: { totalVfs: number; numVfs: number; virtualFunctions: string[] } | null;
}

export interface SriovDeviceReport {
  /** The physical function. */
  address: string;
  name: string;
  classCode: string;
  driver: string | null;
  totalVfs: number;
  numVfs: number;
  virtualFunctions: {
    address: string;
    driver: string | null;
    iommuGroup: number | null;
    /** The VF is alone in its IOMMU group (null when the IOMMU is off). */
    ownGroup: boolean | null;
  }[];
}

export type Mode = 'single-gpu' | 'dual-gpu' | 'none';

export interface DoctorReport {
  cpu: { vendor: 'intel' | 'amd' | 'other'; virtualization: boolean; model?: string | null };
  iommu: { state: 'on' | 'off-in-kernel' | 'off-in-firmware' | 'unknown'; groups: number };
  gpus: GpuReport[];
  recommendation: { mode: Mode; gpu: string | null; reasons: string[] };
  checks: Check[];
  /** Extension: every SR-IOV capable device (any class) with its virtual functions. */
  sriov?: SriovDeviceReport[];
}

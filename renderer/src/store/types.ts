// The store's shape: one slice per concern. Only facts and user choices live here; everything that can
// be computed from them (wizard resume point, verdict texts, durations) is computed by selectors.
import type { StateCreator } from 'zustand';
import type { DoctorReport } from '../../../shared/analyze/report';
import type {
  AppInfo,
  ApplyResult,
  GpuFerryApi,
  HandoffEvent,
  IntegrationReview,
  IntegrationStatus,
  JournalEntry,
  PreflightItem,
  Settings,
  VmChangeOutcome,
  VmChangeRequest,
  VmChangeReview,
  VmSummary,
} from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/result';
import type { Plan } from '../../../shared/plan/model';
import type { InputDevices } from '../../../shared/vm/vm-input';

export type WizardStepId = 'welcome' | 'check' | 'gpu' | 'boot' | 'vm' | 'looking-glass' | 'done';

export interface HostSlice {
  report: DoctorReport | null;
  scanning: boolean;
  hostError: IpcError | null;
  rescan: () => Promise<void>;
  /** PCI address → class code, from a scan: names the other devices of a GPU's IOMMU group. */
  pciClasses: Record<string, string> | null;
  loadPciClasses: () => Promise<void>;
  /** Keyboards, mice and USB devices plugged in now (for a new VM); null until read. */
  inputDevices: InputDevices | null;
  loadInputDevices: () => Promise<void>;
}

export interface WizardSlice {
  /** The step the person is looking at; null until the first scan decides where to resume. */
  wizardStep: WizardStepId | null;
  selectedGpu: string | null;
  goToStep: (step: WizardStepId) => void;
  selectGpu: (address: string) => void;
}

export interface PlansSlice {
  goals: { name: string; summary: string }[];
  plan: Plan | null;
  /** plan.make's one-time id of the plan under review: what plan.apply takes. */
  planReviewId: string | null;
  planError: IpcError | null;
  planBusy: 'making' | 'applying' | null;
  progress: { index: number; line: string }[];
  lastApply: ApplyResult | null;
  journal: JournalEntry[];
  undoing: string | null;
  /** The result of the last undo, for the Journal to show. */
  lastUndo: { title: string; ok: boolean; message: string } | null;
  loadGoals: () => Promise<void>;
  makePlan: (goal: string, options: Record<string, string | boolean | number>) => Promise<void>;
  applyPlan: () => Promise<void>;
  discardPlan: () => void;
  loadJournal: () => Promise<void>;
  undo: (journalId: string) => Promise<void>;
  appendProgress: (line: { index: number; line: string }) => void;
  /** "Restart now" after a plan that needs a reboot: null until asked. */
  restartState: { busy: boolean; error: IpcError | null } | null;
  restartComputer: () => Promise<void>;
}

export interface VmsSlice {
  vms: VmSummary[];
  vmsLoaded: boolean;
  vmError: IpcError | null;
  preflight: Record<string, PreflightItem[]>;
  vmBusy: Record<string, 'checking' | 'starting' | 'stopping' | undefined>;
  loadVms: () => Promise<void>;
  /** Runs the preflight; its items, or null when it could not run (vmError says why). */
  checkVm: (name: string) => Promise<PreflightItem[] | null>;
  /** Checks, then starts when nothing fails or warns; 'ask': warnings or a single-GPU handoff to confirm first. */
  launchVm: (name: string) => Promise<'started' | 'ask' | 'blocked' | 'error'>;
  startVm: (name: string) => Promise<boolean>;
  stopVm: (name: string, force: boolean) => Promise<void>;
  upsertVm: (vm: VmSummary) => void;
  launchLookingGlass: (name: string) => Promise<void>;
  /** Looking Glass client on this computer (the same detection Open Looking Glass uses), per VM. */
  lgStatus: Record<string, { client: boolean; version: string | null; running: boolean }>;
  loadLgStatus: (name: string) => Promise<void>;
}

export interface VmChangeSlice {
  /** The change under review; nothing is applied until applyVmChange. */
  vmReview: VmChangeReview | null;
  vmChangeBusy: 'reviewing' | 'applying' | null;
  vmChangeError: IpcError | null;
  /** The last change applied (and its review), for the result and the Undo offer. */
  vmChangeDone: { review: VmChangeReview; outcome: VmChangeOutcome } | null;
  /** VMs with saved earlier definitions (the Journal's "VM definitions"). */
  vmHistory: { vm: string; count: number; newestAt: string }[];
  loadVmHistory: () => Promise<void>;
  reviewVmChange: (request: VmChangeRequest) => Promise<void>;
  applyVmChange: () => Promise<void>;
  discardVmChange: () => void;
}

export interface HandoffSlice {
  handoffLogs: Record<string, HandoffEvent[]>;
  loadHandoffLog: (vm: string) => Promise<void>;
  appendHandoffEvent: (event: HandoffEvent) => void;
}

export interface SettingsSlice {
  info: AppInfo | null;
  settings: Settings | null;
  settingsError: IpcError | null;
  loadSettings: () => Promise<void>;
  updateSettings: (patch: Partial<Settings>) => Promise<void>;
  /** The desktop app's file chooser for an ISO; null when cancelled or unavailable. */
  pickIso: () => Promise<string | null>;
}

export interface IntegrationSlice {
  integration: IntegrationStatus | null;
  /** What installing or removing would change, shown before the password prompt. */
  integrationReview: IntegrationReview | null;
  integrationBusy: 'reviewing' | 'applying' | null;
  integrationError: IpcError | null;
  loadIntegration: () => Promise<void>;
  reviewIntegration: (action: 'install' | 'remove') => Promise<void>;
  applyIntegration: () => Promise<void>;
  discardIntegrationReview: () => void;
}

export type AppState = HostSlice & WizardSlice & PlansSlice & VmsSlice & VmChangeSlice & HandoffSlice & SettingsSlice & IntegrationSlice;

export type Slice<T> = (api: GpuFerryApi) => StateCreator<AppState, [], [], T>;

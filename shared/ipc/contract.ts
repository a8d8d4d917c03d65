// The IPC contract: one table of every channel between the renderer and the main process, with the
// runtime schema of its arguments and the TypeScript type of its result. The Electron main process
// (electron/main/ipc-router.ts), the preload, the loopback server of browser mode and the renderer's
// API client are all derived from this table: a channel name is written here and nowhere else.
import { z } from 'zod';
import type { DoctorReport } from '../analyze/report';
import type { HostModel } from '../host/model';
import type { PlanReview } from '../plan/model';
import type { InputDevices } from '../vm/vm-input';
import { pciAddress, vmName } from './field-schemas';
import { vmChangeRequest, type VmChangeOutcome, type VmChangeReview } from '../vm/vm-change-request';

export { pciAddress, vmName };
export type { VmChangeOutcome, VmChangeRequest, VmChangeReview } from '../vm/vm-change-request';

/** Phantom marker carrying a result type through the table without a runtime cost. */
const returns = <T>() => undefined as unknown as T;

const goalName = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'A goal is a lower-case name like "iommu".');
const reviewId = z.string().uuid('A review id is the id vm.review returned.');
const planReviewId = z.string().uuid('A plan review id is the id plan.make returned.');
const journalId = z.string().regex(/^[0-9A-Za-z._-]{1,64}$/, 'A journal id is letters, digits, dot, dash.');

export interface JournalEntry {
  id: string;
  goal: string;
  title: string;
  createdAt: string;
  /** undo-incomplete / rollback-incomplete: the files are restored but a command that undoes an effect failed. */
  state: 'applied' | 'undone' | 'interrupted' | 'rolled-back' | 'undo-incomplete' | 'rollback-incomplete';
  files: string[];
}

export interface ApplyResult {
  journalId: string | null;
  steps: { index: number; status: 'done' | 'skipped' | 'not-executed' | 'failed'; message: string }[];
}

/** The system integration (electron/system/integration-status.ts): the files of the system-files list and the Node.js that runs the privileged program. */
export interface IntegrationStatus {
  /** Every file installed as this copy has it, and Node.js usable. */
  installed: boolean;
  files: { target: string; mode: string; source: string; state: 'installed' | 'missing' | 'different' }[];
  node: { path: string; version: string | null; ok: boolean; message: string };
}

/** What integration.apply would do, shown before it asks for the password. */
export interface IntegrationReview {
  action: 'install' | 'remove';
  /** Exactly the files installed or removed, with their modes (the deb/rpm after-install's list). */
  files: IntegrationStatus['files'];
  node: IntegrationStatus['node'];
  /** Null when it can be done; otherwise why not (e.g. Node.js missing). */
  blocked: string | null;
}

export interface VmSummary {
  name: string;
  state: string;
  mode: 'single-gpu' | 'dual-gpu' | null;
  gpu: string | null;
}

export interface PreflightItem {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  fix: string | null;
}

export interface HandoffEvent {
  ts: string;
  vm: string;
  phase: string;
  step: string;
  status: string;
  durationMs: number | null;
  message: string;
}

export interface AppInfo {
  version: string;
  /** 'electron' or 'browser' (loopback server). */
  shell: 'electron' | 'browser';
  /** True when plans apply to a temporary root (demo / tests) rather than the real machine. */
  simulated: boolean;
  hostName: string;
  /** Browser mode serving this machine without --allow-system-changes: plans, VM changes and Launch are refused. */
  readOnly: boolean;
}

export interface Settings {
  autostart: boolean;
  launchLookingGlassAutomatically: boolean;
  theme: 'system' | 'dark' | 'light';
}

export const settingsSchema = z
  .object({
    autostart: z.boolean(),
    launchLookingGlassAutomatically: z.boolean(),
    theme: z.enum(['system', 'dark', 'light']),
  })
  .partial()
  .strict();

const none = z.tuple([]);

/**
 * Invoke channels: renderer asks, main answers with Result<T>. `changesSystem: true` marks channels that
 * change the machine (browser mode refuses them on a real machine unless started with
 * --allow-system-changes).
 */
export const invokeChannels = {
  'app.info': { args: none, result: returns<AppInfo>() },
  /** The system's file chooser for an installer ISO (desktop app only); null when cancelled. */
  'app.pickIso': { args: none, result: returns<string | null>() },
  /** Restarts the computer (`systemctl reboot`), after a plan that needs it; refused on a simulated machine. */
  'app.restart': { args: none, result: returns<{ restarting: boolean }>(), changesSystem: true },
  'host.doctor': { args: none, result: returns<DoctorReport>() },
  'host.scan': { args: none, result: returns<HostModel>() },
  'host.rescan': { args: none, result: returns<DoctorReport>() },
  /** Keyboards, mice and other USB devices plugged in now, for a new VM's input. */
  'host.input': { args: none, result: returns<InputDevices>() },
  'plan.goals': { args: none, result: returns<{ name: string; summary: string }[]>() },
  'plan.make': {
    args: z.tuple([goalName, z.record(z.string(), z.union([z.string().max(4096), z.boolean(), z.number()]))]),
    result: returns<PlanReview>(),
  },
  /** Applies a plan exactly as reviewed, by plan.make's one-time id: root computes it again and compares. */
  'plan.apply': { args: z.tuple([planReviewId]), result: returns<ApplyResult>(), changesSystem: true },
  'journal.list': { args: none, result: returns<JournalEntry[]>() },
  'journal.undo': { args: z.tuple([journalId]), result: returns<ApplyResult>(), changesSystem: true },
  'vm.list': { args: none, result: returns<VmSummary[]>() },
  'vm.check': { args: z.tuple([vmName]), result: returns<PreflightItem[]>() },
  'vm.start': { args: z.tuple([vmName]), result: returns<VmSummary>(), changesSystem: true },
  'vm.stop': {
    args: z.tuple([vmName, z.object({ force: z.boolean() }).strict()]),
    result: returns<VmSummary>(),
    changesSystem: true,
  },
  /** Computes a VM change (create / attach / detach / undo) for review; nothing changes. */
  'vm.review': { args: z.tuple([vmChangeRequest]), result: returns<VmChangeReview>() },
  /** Applies a change exactly as reviewed (refused if the VM changed since), backing up the old XML. */
  'vm.apply': { args: z.tuple([reviewId]), result: returns<VmChangeOutcome>(), changesSystem: true },
  /** VMs whose earlier definitions GPU Ferry saved (what vm.review { kind: 'undo' } can restore). */
  'vm.history': { args: none, result: returns<{ vm: string; count: number; newestAt: string }[]>() },
  'handoff.log': { args: z.tuple([vmName]), result: returns<HandoffEvent[]>() },
  'lg.status': { args: z.tuple([vmName]), result: returns<{ client: boolean; version: string | null; running: boolean }>() },
  'lg.launch': { args: z.tuple([vmName]), result: returns<{ pid: number }>(), changesSystem: true },
  /** The system integration as installed now (files, modes, Node.js); read only. */
  'integration.status': { args: none, result: returns<IntegrationStatus>() },
  /** The exact files (targets, modes) integration.apply would install or remove; nothing changes. */
  'integration.review': { args: z.tuple([z.object({ action: z.enum(['install', 'remove']) }).strict()]), result: returns<IntegrationReview>() },
  /** Installs or removes the system integration (one password prompt); returns the status after. */
  'integration.apply': {
    args: z.tuple([z.object({ action: z.enum(['install', 'remove']) }).strict()]),
    result: returns<IntegrationStatus>(),
    changesSystem: true,
  },
  'settings.get': { args: none, result: returns<Settings>() },
  'settings.set': { args: z.tuple([settingsSchema]), result: returns<Settings>() },
} as const;

/** Event channels: main pushes, the renderer subscribes. */
export const eventChannels = {
  'plan.progress': { payload: returns<{ journalId: string | null; index: number; line: string }>() },
  'vm.state': { payload: returns<VmSummary>() },
  'handoff.event': { payload: returns<HandoffEvent>() },
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type ArgsOf<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['args']>;
export type ResultOf<C extends InvokeChannel> = (typeof invokeChannels)[C]['result'];
export type PayloadOf<E extends EventChannel> = (typeof eventChannels)[E]['payload'];

export const invokeChannelNames = Object.keys(invokeChannels) as InvokeChannel[];
/** True for channels that change the machine (files, VMs, processes). */
export const changesSystem = (channel: InvokeChannel): boolean =>
  (invokeChannels[channel] as { changesSystem?: boolean }).changesSystem === true;

export const eventChannelNames = Object.keys(eventChannels) as EventChannel[];

/** The API the renderer sees (window.gpuFerry in Electron, a fetch client in browser mode). */
export type GpuFerryApi = {
  invoke: <C extends InvokeChannel>(channel: C, ...args: ArgsOf<C>) => Promise<import('./result').Result<ResultOf<C>>>;
  on: <E extends EventChannel>(event: E, listener: (payload: PayloadOf<E>) => void) => () => void;
};

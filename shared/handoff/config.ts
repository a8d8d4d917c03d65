// The per-VM handoff config, /etc/gpu-ferry/vms/<vmFileStem(vm)>.conf: strict KEY=VALUE lines that the
// bash runtime (resources/handoff/gpu-ferry-handoff) PARSES with the same rules as parseHandoffConfig
// below; it is never sourced, so no value can run as shell code.
import { vmFileStem, checkVmName } from '../vm/vm-name';

export const HANDOFF_FORMAT = 'gpu-ferry-handoff/1';
export const HANDOFF_CONFIG_DIR = '/etc/gpu-ferry/vms';
/** The longest encoded VM name the handoff runtime looks up (its run_vm check). */
export const MAX_CONFIG_STEM = 240;

export type HandoffMode = 'single-gpu' | 'dual-gpu';

export interface HandoffConfig {
  vm: string;
  mode: HandoffMode;
  /** Every PCI function handed over (0000:01:00.0 0000:01:00.1 ...). */
  devices: string[];
  /** Host driver modules to unload, in unload order; release loads them back in reverse. */
  modules: string[];
  /** The unit behind display-manager.service; null: read the display-manager.service link at run time. */
  displayManager: string | null;
  /** After the display manager stops: wait for the session to end, or terminate what is left. */
  session: 'wait' | 'terminate';
  /** Processes still holding the GPU: refuse with their names, or terminate them. */
  holders: 'refuse' | 'terminate';
  timeoutStopSeconds: number;
  timeoutDeviceSeconds: number;
}

const PCI = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const MODULE = /^[a-z0-9_]+$/;
const UNIT = /^[A-Za-z0-9@._:-]+\.service$/;
const SECONDS = /^[1-9][0-9]{0,2}$/;

export const handoffConfigPath = (vm: string): string => `${HANDOFF_CONFIG_DIR}/${vmFileStem(vm)}.conf`;

/** Problems with a config, in words; empty when it is valid. */
export function validateHandoffConfig(c: HandoffConfig): string[] {
  const problems: string[] = [];
  const name = checkVmName(c.vm);
  if (!name.ok) problems.push(name.reason);
  // The runtime refuses config file names over 240 characters (NAME_MAX with room to spare): a longer
  // one would be written here and then ignored, so the VM would start with no handoff at all.
  else if (vmFileStem(c.vm).length > MAX_CONFIG_STEM)
    problems.push(`"${c.vm}" is too long for a handoff config file name (${vmFileStem(c.vm).length} of at most ${MAX_CONFIG_STEM} characters once encoded): choose a shorter VM name.`);
  if (c.devices.length === 0) problems.push('At least one PCI function must be handed over.');
  for (const d of c.devices) if (!PCI.test(d)) problems.push(`"${d}" is not a PCI address like 0000:01:00.0.`);
  if (new Set(c.devices).size !== c.devices.length) problems.push('A PCI function is listed twice.');
  for (const m of c.modules) if (!MODULE.test(m)) problems.push(`"${m}" is not a module name (lower case, digits, _).`);
  if (c.displayManager !== null && !UNIT.test(c.displayManager)) problems.push(`"${c.displayManager}" is not a .service unit.`);
  for (const t of [c.timeoutStopSeconds, c.timeoutDeviceSeconds])
    if (!Number.isInteger(t) || t < 1 || t > 999) problems.push(`Timeout ${t} must be whole seconds from 1 to 999.`);
  return problems;
}

export function renderHandoffConfig(c: HandoffConfig): string {
  const problems = validateHandoffConfig(c);
  if (problems.length > 0) throw new Error(`Invalid handoff config: ${problems.join(' ')}`);
  return [
    '# GPU Ferry handoff config, written by `gpu-ferry plan handoff-config`. Read (never sourced) by',
    '# /usr/libexec/gpu-ferry/gpu-ferry-handoff when libvirt starts and stops this VM.',
    `FORMAT=${HANDOFF_FORMAT}`,
    `VM=${c.vm}`,
    `MODE=${c.mode}`,
    `DEVICES=${c.devices.join(' ')}`,
    `MODULES=${c.modules.join(' ')}`,
    `DISPLAY_MANAGER=${c.displayManager ?? ''}`,
    `SESSION=${c.session}`,
    `HOLDERS=${c.holders}`,
    `TIMEOUT_STOP=${c.timeoutStopSeconds}`,
    `TIMEOUT_DEVICE=${c.timeoutDeviceSeconds}`,
    '',
  ].join('\n');
}

const KEYS = ['FORMAT', 'VM', 'MODE', 'DEVICES', 'MODULES', 'DISPLAY_MANAGER', 'SESSION', 'HOLDERS', 'TIMEOUT_STOP', 'TIMEOUT_DEVICE'] as const;
type Key = (typeof KEYS)[number];

export type ParsedHandoffConfig = { ok: true; config: HandoffConfig } | { ok: false; error: string };

/** The runtime's parser, in TypeScript: same keys, same rules, same refusals. */
export function parseHandoffConfig(text: string): ParsedHandoffConfig {
  const values = new Map<Key, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (!m) return { ok: false, error: `line ${i + 1}: expected KEY=VALUE` };
    const key = m[1] as Key;
    if (!KEYS.includes(key)) return { ok: false, error: `line ${i + 1}: unknown key ${m[1]}` };
    if (values.has(key)) return { ok: false, error: `line ${i + 1}: duplicate key ${key}` };
    values.set(key, m[2] ?? '');
  }
  const get = (k: Key, fallback = ''): string => values.get(k) ?? fallback;
  if (get('FORMAT') !== HANDOFF_FORMAT) return { ok: false, error: `FORMAT must be ${HANDOFF_FORMAT}` };
  const mode = get('MODE');
  if (mode !== 'single-gpu' && mode !== 'dual-gpu') return { ok: false, error: 'MODE must be single-gpu or dual-gpu' };
  const session = get('SESSION', 'terminate');
  if (session !== 'wait' && session !== 'terminate') return { ok: false, error: 'SESSION must be wait or terminate' };
  const holders = get('HOLDERS', 'refuse');
  if (holders !== 'refuse' && holders !== 'terminate') return { ok: false, error: 'HOLDERS must be refuse or terminate' };
  for (const k of ['DEVICES', 'MODULES'] as const) {
    const v = get(k);
    if (v !== v.trim() || v.includes('  ')) return { ok: false, error: `${k} must be separated by one space` };
  }
  const stop = get('TIMEOUT_STOP', '20');
  const device = get('TIMEOUT_DEVICE', '10');
  if (!SECONDS.test(stop) || !SECONDS.test(device)) return { ok: false, error: 'timeouts must be whole seconds 1..999' };
  const config: HandoffConfig = {
    vm: get('VM'),
    mode,
    devices: get('DEVICES') === '' ? [] : get('DEVICES').split(' '),
    modules: get('MODULES') === '' ? [] : get('MODULES').split(' '),
    displayManager: get('DISPLAY_MANAGER') === '' ? null : get('DISPLAY_MANAGER'),
    session,
    holders,
    timeoutStopSeconds: Number(stop),
    timeoutDeviceSeconds: Number(device),
  };
  const problems = validateHandoffConfig(config);
  return problems.length > 0 ? { ok: false, error: problems.join(' ') } : { ok: true, config };
}

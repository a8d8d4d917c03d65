// The libvirt adapter: every call goes through `virsh -c URI ...` (libvirt-clients), spawned with an
// argv array. Domains are always named with `--domain NAME`, so a name can hold spaces, quotes or a
// leading dash. Failures become a VirshError whose kind tells the UI which fix to offer.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { requireVmName } from '../../shared/vm/vm-name';

export const DEFAULT_URI = 'qemu:///system';

export type VirshErrorKind = 'virsh-missing' | 'daemon-down' | 'permission' | 'no-domain' | 'failed';

export class VirshError extends Error {
  constructor(
    readonly kind: VirshErrorKind,
    message: string,
    /** What the person can do about it; null when libvirt's own message is all we have. */
    readonly fix: string | null,
    /** libvirt's own words (virsh stderr), shown as they are. */
    readonly libvirtMessage: string,
  ) {
    super(message);
    this.name = 'VirshError';
  }
}

export interface VirshOptions {
  /** Connection URI (`--connect`): qemu:///system by default; tests also use test:///default. */
  uri?: string;
  /** The virsh program (default: `virsh` on PATH). */
  program?: string;
  /** Deadline of one virsh call (default 2 min); starting and stopping a VM have their own (powerTimeoutMs). */
  timeoutMs?: number;
  /** Deadline of `virsh start` and `virsh destroy` (default POWER_TIMEOUT_MS). */
  powerTimeoutMs?: number;
  /**
   * Wraps every call that changes libvirt's state, given what it changes. The demo's file-backed test
   * driver uses it to write the change back to its file (electron/system/demo-libvirt.ts).
   */
  recordChange?: (change: VirshChange, run: () => Promise<void>) => Promise<void>;
}

/** A change to libvirt's state made through this module. */
export type VirshChange =
  { kind: 'define'; xml: string } | { kind: 'start' | 'shutdown' | 'destroy' | 'undefine'; name: string };

const changing = (options: VirshOptions, change: VirshChange, run: () => Promise<void>): Promise<void> =>
  options.recordChange ? options.recordChange(change, run) : run();

export interface VirshResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs virsh with `args` (never through a shell). Resolves with the output whatever the exit code. */
export function runVirshRaw(args: string[], options: VirshOptions = {}): Promise<VirshResult> {
  const uri = options.uri ?? DEFAULT_URI;
  const program = options.program ?? 'virsh';
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['-q', '-c', uri, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(
          new VirshError(
            'virsh-missing',
            `${program} is not installed.`,
            'Install libvirt: libvirt-clients (Debian/Ubuntu), libvirt (Arch, Fedora, openSUSE).',
            '',
          ),
        );
      else reject(error);
    });
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/** Classifies a failed virsh run from libvirt's message. */
export function virshError(args: string[], result: VirshResult, uri: string): VirshError {
  const what = `virsh ${args[0] ?? ''} (${uri})`;
  if (result.code === null)
    return new VirshError(
      'failed',
      `${what} did not finish in time: the libvirt daemon may be busy or stuck.`,
      'Try again; if it persists, restart libvirtd.',
      result.stderr.trim(),
    );
  const text = result.stderr.trim() || result.stdout.trim() || `virsh exited with ${result.code}`;
  const user = os.userInfo().username;
  // Only errors about the connection itself are about the daemon or the user's rights; a "Permission
  // denied" on a disk image (QEMU's user cannot read it) is an ordinary failure with libvirt's message.
  const connection =
    /failed to connect to the hypervisor|Failed to connect socket|authentication (unavailable|failed)|access denied|not authorized/i.test(
      text,
    );
  // polkit decides access to qemu:///system; "system bus" means polkit could not even be asked.
  if (
    connection &&
    /Permission denied|access denied|authentication (unavailable|failed)|not authorized|polkit|system bus/i.test(
      text,
    )
  )
    return new VirshError(
      'permission',
      `${what}: you may not manage virtual machines on ${uri}.`,
      `Add yourself to the libvirt group (sudo usermod -aG libvirt ${user}, then log out and back in), or allow your user with a polkit rule for org.libvirt.unix.manage.`,
      text,
    );
  if (connection)
    return new VirshError(
      'daemon-down',
      `${what}: the libvirt daemon is not running.`,
      'Start it: sudo systemctl enable --now libvirtd.service (or virtqemud.socket on distributions with modular daemons).',
      text,
    );
  if (/failed to get domain|Domain not found|no domain with matching name/i.test(text))
    return new VirshError(
      'no-domain',
      `${what}: no such VM.`,
      'Check the name with: gpu-ferry vm list',
      text,
    );
  return new VirshError('failed', `${what} failed: ${text}`, null, text);
}

/** Runs virsh and returns stdout; throws a VirshError on a non-zero exit. */
export async function virsh(args: string[], options: VirshOptions = {}): Promise<string> {
  const result = await runVirshRaw(args, options);
  if (result.code !== 0) throw virshError(args, result, options.uri ?? DEFAULT_URI);
  return result.stdout;
}

export interface DomainSummary {
  name: string;
  /** virsh domstate words: running, shut off, paused, ... */
  state: string;
}

/** Every domain (running or not), by name, with its state. */
export async function listDomains(options: VirshOptions = {}): Promise<DomainSummary[]> {
  const names = (await virsh(['list', '--all', '--name'], options))
    .split('\n')
    .filter((n) => n.trim() !== '');
  const out: DomainSummary[] = [];
  for (const name of names) out.push({ name, state: await domainState(name, options) });
  return out;
}

export async function domainState(name: string, options: VirshOptions = {}): Promise<string> {
  return (await virsh(['domstate', '--domain', requireVmName(name)], options)).trim();
}

/** The domain XML; `inactive` gives the persistent definition (what we edit), not the running state. */
export async function dumpXml(
  name: string,
  options: VirshOptions & { inactive?: boolean } = {},
): Promise<string> {
  return virsh(
    ['dumpxml', '--domain', requireVmName(name), ...(options.inactive === false ? [] : ['--inactive'])],
    options,
  );
}

/** Defines (creates or replaces) a domain from XML text. */
/** Runs `use` with `xml` in a private temporary file (virsh's define/create commands read files), then removes it. */
export async function withXmlFile<T>(xml: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-xml-'));
  try {
    const file = path.join(dir, 'definition.xml');
    await writeFile(file, xml, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function defineXml(xml: string, options: VirshOptions = {}): Promise<void> {
  await withXmlFile(xml, (file) =>
    changing(
      options,
      { kind: 'define', xml },
      async () => void (await virsh(['define', '--file', file], options)),
    ),
  );
}

/**
 * Starting a VM runs the prepare hook (the display manager stopped, the session waited for, the GPU moved)
 * and QEMU, which pins all of the guest's memory for VFIO: minutes on a big VM or a busy machine (the system
 * tier saw 150 s under emulation). Killing virsh does not stop libvirtd's start, so a short deadline would only
 * report a failure while the VM goes on starting; this one catches a daemon that is really stuck.
 */
export const POWER_TIMEOUT_MS = 15 * 60_000;
const powerOptions = (options: VirshOptions): VirshOptions => ({ ...options, timeoutMs: options.powerTimeoutMs ?? POWER_TIMEOUT_MS });

export const startDomain = async (name: string, options: VirshOptions = {}): Promise<void> => {
  await changing(
    options,
    { kind: 'start', name },
    async () => void (await virsh(['start', '--domain', requireVmName(name)], powerOptions(options))),
  );
};

/** Asks the guest to shut down (ACPI); returns at once. */
export const shutdownDomain = async (name: string, options: VirshOptions = {}): Promise<void> => {
  await changing(
    options,
    { kind: 'shutdown', name },
    async () => void (await virsh(['shutdown', '--domain', requireVmName(name)], options)),
  );
};

/** Pulls the plug. */
export const destroyDomain = async (name: string, options: VirshOptions = {}): Promise<void> => {
  await changing(
    options,
    { kind: 'destroy', name },
    async () => void (await virsh(['destroy', '--domain', requireVmName(name)], powerOptions(options))), // the release hook runs inside
  );
};

/**
 * Removes the definition. By default also the UEFI vars file libvirt made for it (tests, `vm create`
 * rollback); `keepNvram` keeps it (undoing a create: the VM may have stored boot entries there).
 */
export const undefineDomain = async (
  name: string,
  options: VirshOptions = {},
  how: { keepNvram?: boolean } = {},
): Promise<void> => {
  // The test driver keeps no UEFI vars files and refuses --nvram ("unsupported flags").
  const nvram = (options.uri ?? DEFAULT_URI).startsWith('test:')
    ? []
    : [how.keepNvram ? '--keep-nvram' : '--nvram'];
  await changing(
    options,
    { kind: 'undefine', name },
    async () => void (await virsh(['undefine', '--domain', requireVmName(name), ...nvram], options)),
  );
};

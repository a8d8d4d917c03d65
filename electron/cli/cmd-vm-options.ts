// Options shared by the `gpu-ferry vm ...` commands (--connect, --json, --root/--host, --data-dir,
// --yes) and the mapping of libvirt errors to exit codes and readable messages.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkVmName } from '../../shared/vm/vm-name';
import { defaultDataDir } from '../system/libvirt-backup';
import { ApplyRefusedError } from '../system/libvirt-apply';
import { DEFAULT_URI, VirshError, type VirshOptions } from '../system/virsh';
import { EXIT, type CliIo } from './command';
import { exitCodeFor, UsageError, usageText } from './host-options';
import { virshConnection } from '../system/demo-libvirt';

export const VM_OPTIONS_HELP = `  --connect URI  libvirt connection (default ${DEFAULT_URI}; e.g. test:///default)
  --json         machine-readable output
  -h, --help     this help

Exit codes: 0 ok, 1 failure, 2 bad usage, 6 refused (check failed, or the VM changed),
7 not allowed to manage VMs, 9 libvirt not installed or not running.`;

export const HOST_HELP = `  --root DIR     read the machine from DIR instead of /
  --host FILE    read a host spec or snapshot instead of this machine`;

const common = {
  connect: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

export interface VmArgs {
  values: Record<string, string | boolean | string[] | undefined> & { json: boolean };
  positionals: string[];
  virsh: VirshOptions;
}

/** Parses common options plus a command's own; `names` is how many positional VM names are required. */
export function parseVmArgs(args: string[], extra: ParseArgsConfig['options'], names: 0 | 1): VmArgs {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...common, ...extra }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageText(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== names)
    throw new UsageError(names === 1 ? `expected one VM name, got ${positionals.length}` : `unexpected argument '${positionals[0]}'`);
  for (const name of positionals) {
    const check = checkVmName(name);
    if (!check.ok) throw new UsageError(check.reason);
  }
  const uri = typeof values.connect === 'string' ? values.connect : DEFAULT_URI;
  if (!/^[a-z0-9+]+:\/\//.test(uri)) throw new UsageError(`--connect needs a libvirt URI like qemu:///system, not "${uri}"`);
  return { values: values as VmArgs['values'], positionals, virsh: virshConnection(uri) };
}

export const dataDirOf = (values: VmArgs['values']): string => (typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir());

/** Runs a vm command body, turning known errors into a message and an exit code. */
export async function runVm(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof VirshError) {
      io.err(`gpu-ferry ${name}: ${error.message}\n`);
      if (error.libvirtMessage && !error.message.includes(error.libvirtMessage)) io.err(`libvirt says: ${error.libvirtMessage}\n`);
      if (error.fix) io.err(`Fix: ${error.fix}\n`);
      if (error.kind === 'permission') return EXIT.notAuthorized;
      if (error.kind === 'virsh-missing' || error.kind === 'daemon-down') return EXIT.unavailable;
      return EXIT.failure;
    }
    io.err(`gpu-ferry ${name}: ${(error as Error).message}\n`);
    if (error instanceof UsageError) io.err(`Run \`gpu-ferry ${name} --help\` for usage.\n`);
    if (error instanceof ApplyRefusedError) return EXIT.refused;
    return exitCodeFor(error);
  }
}

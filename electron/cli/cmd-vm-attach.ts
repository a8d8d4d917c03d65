// `gpu-ferry vm attach --gpu ADDR NAME [--tune LIST]` and `gpu-ferry vm detach [--gpu ADDR] NAME`: add or
// remove the GPU's PCI functions as managed hostdevs of an existing VM, and optionally GPU Ferry's tuning
// (shared/vm/tuning.ts), leaving the rest of its XML untouched.
import { buildDoctorReport } from '../../shared/analyze/doctor';
import { passedThrough } from '../../shared/vm/gpu-hostdev';
import { pciAddress } from '../../shared/ipc/contract';
import { appliedTuning, parseTuningOptions, TUNING_OPTIONS, type TuningOption } from '../../shared/vm/tuning';
import { gpuFunctions, planAttach, planDetach } from '../../shared/vm/vm-change';
import { loadHost } from '../host/load';
import { dumpXml } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { dataDirOf, HOST_HELP, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';
import { reviewAndApply } from './cmd-vm-review';
import { UsageError } from './host-options';

const options = {
  gpu: { type: 'string' },
  rom: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  root: { type: 'string' },
  host: { type: 'string' },
} as const;
const attachOptions = { ...options, tune: { type: 'string' }, 'host-cores': { type: 'string' } } as const;
const detachOptions = { ...options, 'keep-tuning': { type: 'boolean', default: false } } as const;

const APPLY_HELP = `  --yes          apply (without it, only show the change)
  --data-dir DIR where backups of the previous XML go (default ~/.local/share/gpu-ferry)
${HOST_HELP}
${VM_OPTIONS_HELP}`;

function tuneOption(value: unknown): TuningOption[] {
  if (value === undefined) return [];
  try {
    return parseTuningOptions(String(value));
  } catch (error) {
    throw new UsageError(`--tune: ${(error as Error).message}`);
  }
}

function hostCoresOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--host-cores needs a whole number of cores, at least 1, not "${String(value)}"`);
  return n;
}

function gpuOption(value: unknown): string | null {
  if (value === undefined) return null;
  const parsed = pciAddress.safeParse(value);
  if (!parsed.success) throw new UsageError(`--gpu: ${parsed.error.issues[0]?.message ?? 'bad PCI address'}`);
  return parsed.data;
}

export const vmAttachCommand: CliCommand = {
  path: ['vm', 'attach'],
  summary: "pass a GPU (all its functions) through to an existing VM, as a reviewed XML change",
  help: `Usage: gpu-ferry vm attach --gpu ADDR NAME [--rom FILE] [--tune LIST] [--yes] [--connect URI]

Adds one <hostdev managed='yes'> per function of the GPU (and of its IOMMU group) to the VM's XML,
keeping everything else byte for byte. Shows the diff; --yes validates, backs up and defines it.
  --gpu ADDR     the GPU, e.g. 0000:0a:00.0 (optional when --tune is given)
  --rom FILE     a ROM file for the GPU (vBIOS)
  --tune LIST    also tune the VM, comma-separated, or all: ${TUNING_OPTIONS.join(', ')}
                 (pinning: whole cores pinned from this host's topology, emulator/iothread on the
                 host's cores; hyperv: Hyper-V enlightenments; cpu: host-passthrough with
                 matching topology; memballoon: none; hugepages: hugepage-backed memory, which
                 needs pages reserved on the host first — you are warned when they are missing).
                 Elements replaced (your own <cputune>, say) are kept in the VM's metadata and put
                 back byte for byte by \`vm detach\`.
  --host-cores N physical cores the host keeps when pinning (default 1, or 2 above 8 cores)
${APPLY_HELP}
`,
  run: (args, io) =>
    runVm('vm attach', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, attachOptions, 1);
      const name = positionals[0] ?? '';
      const gpu = gpuOption(values.gpu);
      const tune = tuneOption(values.tune);
      const hostCores = hostCoresOption(values['host-cores']);
      if (!gpu && tune.length === 0) throw new UsageError('--gpu ADDR is required (or --tune LIST to only tune the VM)');
      if (values.rom !== undefined && !gpu) throw new UsageError('--rom needs --gpu');
      if (hostCores !== undefined && !tune.includes('pinning')) throw new UsageError('--host-cores only applies with --tune pinning');
      if (values.rom !== undefined && !String(values.rom).startsWith('/')) throw new UsageError('--rom needs an absolute path');
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      let functions: string[] = [];
      const model = loaded.model;
      let report;
      try {
        report = buildDoctorReport(model);
        if (gpu) functions = gpuFunctions(report, gpu);
      } finally {
        await loaded.cleanup();
      }
      const before = await dumpXml(name, virsh);
      const { after, warnings } = planAttach(model, report, before, {
        gpu,
        tune,
        rom: (values.rom as string | undefined) ?? null,
        ...(hostCores === undefined ? {} : { hostCores }),
      });
      if (after === before) {
        const what = [gpu ? functions.join(', ') : '', tune.length ? `tuning ${tune.join(', ')}` : ''].filter(Boolean).join(' and ');
        io.out(values.json ? JSON.stringify({ applied: false, name, unchanged: true }) + '\n' : `"${name}" already has ${what}.\n`);
        return EXIT.ok;
      }
      const flags = [gpu ? `--gpu ${gpu}` : '', tune.length ? `--tune ${tune.join(',')}` : '', hostCores === undefined ? '' : `--host-cores ${hostCores}`].filter(Boolean).join(' ');
      return reviewAndApply(io, { name, before, after, createDisk: null }, {
        yes: Boolean(values.yes), json: values.json, dataDir: dataDirOf(values), virsh, warnings,
        command: `gpu-ferry vm attach ${flags} ${JSON.stringify(name)}`,
      });
    }),
};

export const vmDetachCommand: CliCommand = {
  path: ['vm', 'detach'],
  summary: "remove a GPU's functions from a VM, as a reviewed XML change",
  help: `Usage: gpu-ferry vm detach NAME [--gpu ADDR] [--keep-tuning] [--yes] [--connect URI]

Removes the <hostdev> elements of the GPU's functions (without --gpu: of every GPU of this machine)
and the tuning \`vm attach --tune\` added (what it replaced comes back byte for byte), leaving the
rest of the XML as it is.
  --gpu ADDR     only this GPU, e.g. 0000:0a:00.0
  --keep-tuning  leave GPU Ferry's tuning in place
${APPLY_HELP}
`,
  run: (args, io) =>
    runVm('vm detach', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, detachOptions, 1);
      const name = positionals[0] ?? '';
      const gpu = gpuOption(values.gpu);
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      let report;
      try {
        report = buildDoctorReport(loaded.model);
      } finally {
        await loaded.cleanup();
      }
      const before = await dumpXml(name, virsh);
      const keepTuning = Boolean(values['keep-tuning']);
      const tuned = appliedTuning(before);
      const { after } = planDetach(report, before, { gpu, keepTuning });
      if (after === before) {
        const has = passedThrough(before);
        const kept = keepTuning && tuned.length ? `; tuning ${tuned.join(', ')} kept` : '';
        io.out(values.json ? JSON.stringify({ applied: false, name, unchanged: true }) + '\n' : `"${name}" has no GPU hostdev${keepTuning ? '' : ' or GPU Ferry tuning'} to remove${has.length ? ` (it passes through ${has.join(', ')})` : ''}${kept}.\n`);
        return EXIT.ok;
      }
      return reviewAndApply(io, { name, before, after, createDisk: null }, {
        yes: Boolean(values.yes), json: values.json, dataDir: dataDirOf(values), virsh, warnings: [],
        command: `gpu-ferry vm detach ${gpu ? `--gpu ${gpu} ` : ''}${keepTuning ? '--keep-tuning ' : ''}${JSON.stringify(name)}`,
      });
    }),
};

// `gpu-ferry vm attach --gpu ADDR NAME` and `gpu-ferry vm detach [--gpu ADDR] NAME`: add or remove the
// GPU's PCI functions as managed hostdevs of an existing VM, leaving the rest of its XML untouched.
import { buildDoctorReport } from '../../shared/analyze/doctor';
import { attachGpu, detachGpu, passedThrough } from '../../shared/vm/gpu-hostdev';
import { pciAddress } from '../../shared/ipc/contract';
import { loadHost } from '../host/load';
import { dumpXml } from '../system/virsh';
import { EXIT, type CliCommand } from './command';
import { dataDirOf, HOST_HELP, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';
import { gpuFunctions, reviewAndApply } from './cmd-vm-review';
import { UsageError } from './host-options';

const options = {
  gpu: { type: 'string' },
  rom: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  root: { type: 'string' },
  host: { type: 'string' },
} as const;

const APPLY_HELP = `  --yes          apply (without it, only show the change)
  --data-dir DIR where backups of the previous XML go (default ~/.local/share/gpu-ferry)
${HOST_HELP}
${VM_OPTIONS_HELP}`;

function gpuOption(value: unknown): string | null {
  if (value === undefined) return null;
  const parsed = pciAddress.safeParse(value);
  if (!parsed.success) throw new UsageError(`--gpu: ${parsed.error.issues[0]?.message ?? 'bad PCI address'}`);
  return parsed.data;
}

export const vmAttachCommand: CliCommand = {
  path: ['vm', 'attach'],
  summary: "pass a GPU (all its functions) through to an existing VM, as a reviewed XML change",
  help: `Usage: gpu-ferry vm attach --gpu ADDR NAME [--rom FILE] [--yes] [--connect URI]

Adds one <hostdev managed='yes'> per function of the GPU (and of its IOMMU group) to the VM's XML,
keeping everything else byte for byte. Shows the diff; --yes validates, backs up and defines it.
  --gpu ADDR     the GPU, e.g. 0000:0a:00.0
  --rom FILE     a ROM file for the GPU (vBIOS)
${APPLY_HELP}
`,
  run: (args, io) =>
    runVm('vm attach', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, options, 1);
      const name = positionals[0] ?? '';
      const gpu = gpuOption(values.gpu);
      if (!gpu) throw new UsageError('--gpu ADDR is required');
      if (values.rom !== undefined && !String(values.rom).startsWith('/')) throw new UsageError('--rom needs an absolute path');
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      let functions: string[];
      try {
        functions = gpuFunctions(buildDoctorReport(loaded.model), gpu);
      } finally {
        await loaded.cleanup();
      }
      const before = await dumpXml(name, virsh);
      const after = attachGpu(before, { functions, rom: (values.rom as string | undefined) ?? null });
      if (after === before) {
        io.out(values.json ? JSON.stringify({ applied: false, name, unchanged: true }) + '\n' : `"${name}" already has ${functions.join(', ')}.\n`);
        return EXIT.ok;
      }
      return reviewAndApply(io, { name, before, after, createDisk: null }, {
        yes: Boolean(values.yes), json: values.json, dataDir: dataDirOf(values), virsh, warnings: [],
        command: `gpu-ferry vm attach --gpu ${gpu} ${JSON.stringify(name)}`,
      });
    }),
};

export const vmDetachCommand: CliCommand = {
  path: ['vm', 'detach'],
  summary: "remove a GPU's functions from a VM, as a reviewed XML change",
  help: `Usage: gpu-ferry vm detach NAME [--gpu ADDR] [--yes] [--connect URI]

Removes the <hostdev> elements of the GPU's functions (without --gpu: of every GPU of this machine),
leaving the rest of the XML as it is.
  --gpu ADDR     only this GPU, e.g. 0000:0a:00.0
${APPLY_HELP}
`,
  run: (args, io) =>
    runVm('vm detach', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, options, 1);
      const name = positionals[0] ?? '';
      const gpu = gpuOption(values.gpu);
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      let functions: string[];
      try {
        const report = buildDoctorReport(loaded.model);
        functions = gpu ? gpuFunctions(report, gpu) : report.gpus.flatMap((g) => (g.functions.length > 0 ? g.functions : [g.address]));
      } finally {
        await loaded.cleanup();
      }
      const before = await dumpXml(name, virsh);
      const after = detachGpu(before, functions);
      if (after === before) {
        const has = passedThrough(before);
        io.out(values.json ? JSON.stringify({ applied: false, name, unchanged: true }) + '\n' : `"${name}" has no GPU hostdev to remove${has.length ? ` (it passes through ${has.join(', ')})` : ''}.\n`);
        return EXIT.ok;
      }
      return reviewAndApply(io, { name, before, after, createDisk: null }, {
        yes: Boolean(values.yes), json: values.json, dataDir: dataDirOf(values), virsh, warnings: [],
        command: `gpu-ferry vm detach ${gpu ? `--gpu ${gpu} ` : ''}${JSON.stringify(name)}`,
      });
    }),
};

// `gpu-ferry scan`: the full host model, for scripts and bug reports.
import type { CliCommand } from './command';
import { EXIT } from './command';
import { HOST_OPTIONS_HELP, withHost } from './host-options';

export const scanCommand: CliCommand = {
  path: ['scan'],
  summary: 'print the full host model GPU Ferry reads from this machine',
  help: `Usage: gpu-ferry scan [--root DIR | --host FILE] [--json]

Prints the host model (CPU, IOMMU, every PCI device, kernel, bootloader, initramfs, display
manager, libvirt, Looking Glass, users, configuration files). The output is JSON with or
without --json (the model has no other form); --json is accepted for symmetry with doctor.

${HOST_OPTIONS_HELP}
`,
  run: (args, io) =>
    withHost('scan', args, io, async ({ model }) => {
      io.out(JSON.stringify(model, null, 2) + '\n');
      return EXIT.ok;
    }),
};

// `gpu-ferry doctor`: can this machine do GPU passthrough, and how?
import pc from 'picocolors';
import type { CliCommand } from './command';
import { EXIT } from './command';
import { HOST_OPTIONS_HELP, withHost } from './host-options';
import { buildDoctorReport } from '../../shared/analyze/doctor';
import { formatDoctor, noPaint } from '../../shared/analyze/format-doctor';

export const doctorCommand: CliCommand = {
  path: ['doctor'],
  summary: 'check whether this machine can do GPU passthrough, and how',
  help: `Usage: gpu-ferry doctor [--root DIR | --host FILE] [--json]

Reads the machine (or a root directory, host spec or snapshot) and prints a checklist: CPU
virtualization, IOMMU, every GPU with its role, what travels with it and its isolation, the
recommended mode (single-gpu, dual-gpu or none) and a fix for every warning or failure.
Exits 0 whenever the report could be made, whatever it says.

${HOST_OPTIONS_HELP}
`,
  run: (args, io) =>
    withHost('doctor', args, io, async ({ model }, opts) => {
      const report = buildDoctorReport(model);
      if (opts.json) io.out(JSON.stringify(report, null, 2) + '\n');
      else {
        io.out(formatDoctor(report, io.tty ? pc : noPaint));
        if (model.notes.length > 0)
          io.out(`\nNotes while reading the machine:\n${model.notes.map((n) => `  - ${n}`).join('\n')}\n`);
      }
      return EXIT.ok;
    }),
};

// The readable `gpu-ferry doctor` output: the checklist a person reads. Colour is injected so this
// stays pure (the CLI passes picocolors on a TTY, identity otherwise).
import type { DoctorReport } from './report';

export interface Paint {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export const noPaint: Paint = {
  green: (s) => s,
  yellow: (s) => s,
  red: (s) => s,
  bold: (s) => s,
  dim: (s) => s,
};

const MODE_TEXT = {
  'single-gpu': 'single GPU (the desktop closes while the VM has the GPU)',
  'dual-gpu': 'two GPUs (the host keeps one; Looking Glass shows the VM in a window)',
  none: 'not possible yet',
} as const;

const IOMMU_TEXT = {
  on: 'on',
  'off-in-kernel': 'off in the kernel (firmware has it)',
  'off-in-firmware': 'off in the firmware',
  unknown: 'unknown',
} as const;

export function formatDoctor(report: DoctorReport, paint: Paint = noPaint): string {
  const out: string[] = [];
  const mark = { pass: paint.green('✔ pass'), warn: paint.yellow('! warn'), fail: paint.red('✘ fail') };
  out.push(paint.bold('GPU Ferry doctor'));
  out.push(
    `CPU     ${report.cpu.model ?? report.cpu.vendor} — virtualization ${report.cpu.virtualization ? 'yes' : 'no'}`,
  );
  out.push(
    `IOMMU   ${IOMMU_TEXT[report.iommu.state]}${report.iommu.state === 'on' ? `, ${report.iommu.groups} groups` : ''}`,
  );
  out.push('');
  out.push(paint.bold(`GPUs (${report.gpus.length})`));
  if (report.gpus.length === 0) out.push('  none found');
  for (const g of report.gpus) {
    const role = [
      g.integrated ? 'integrated' : 'discrete',
      g.drivesHostDisplay ? 'drives the host display' : null,
      g.displayOutputs === false ? 'no display outputs' : null,
    ]
      .filter(Boolean)
      .join(', ');
    out.push(`  ${g.address}  ${g.name}`);
    out.push(
      paint.dim(
        `      ${role}; driver ${g.driver ?? 'none'}; IOMMU group ${g.iommuGroup ?? '-'} (${g.isolation})`,
      ),
    );
    if (g.functions.length > 1)
      out.push(paint.dim(`      travels with: ${g.functions.filter((a) => a !== g.address).join(', ')}`));
    if (g.groupPeers.length > 0)
      out.push(paint.dim(`      shares its group with: ${g.groupPeers.join(', ')}`));
  }
  for (const pf of report.sriov ?? []) {
    out.push(`  SR-IOV ${pf.address}  ${pf.name}: ${pf.numVfs} of ${pf.totalVfs} virtual functions`);
    for (const vf of pf.virtualFunctions)
      out.push(
        paint.dim(
          `      ${vf.address}  driver ${vf.driver ?? 'none'}; IOMMU group ${vf.iommuGroup ?? '-'}${vf.ownGroup ? ' (its own)' : vf.ownGroup === false ? ' (shared)' : ''}`,
        ),
      );
  }
  out.push('');
  const rec = report.recommendation;
  const modeLine = `Recommended mode: ${MODE_TEXT[rec.mode]}${rec.gpu ? ` — pass ${rec.gpu}` : ''}`;
  out.push(paint.bold(rec.mode === 'none' ? paint.red(modeLine) : paint.green(modeLine)));
  for (const reason of rec.reasons) out.push(`  - ${reason}`);
  out.push('');
  out.push(paint.bold('Checklist'));
  for (const c of report.checks) {
    out.push(`  ${mark[c.status]}  ${c.message}`);
    if (c.fix) out.push(`          ${paint.dim('fix:')} ${c.fix}`);
  }
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  out.push('');
  out.push(
    `${fails} failing, ${warns} warning${warns === 1 ? '' : 's'}, ${report.checks.length - fails - warns} passing.`,
  );
  return out.join('\n') + '\n';
}

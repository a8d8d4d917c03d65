// Shows a domain change for review (unified diff of the XML) and applies it when --yes was given.
import { createTwoFilesPatch } from 'diff';
import { applyDomainChange, type DomainChange } from '../system/libvirt-apply';
import { NO_DOMAIN } from '../../shared/vm/no-domain';
import type { VirshOptions } from '../system/virsh';
import { EXIT, type CliIo } from './command';

export async function reviewAndApply(
  io: CliIo,
  change: DomainChange,
  opts: { yes: boolean; json: boolean; dataDir: string; virsh: VirshOptions; warnings: string[]; command: string },
): Promise<number> {
  const diff = createTwoFilesPatch(`${change.name}.xml (now)`, `${change.name}.xml (after)`, change.before ?? '', change.after, '', '', { context: 3 });
  if (!opts.yes) {
    if (opts.json) io.out(JSON.stringify({ applied: false, name: change.name, diff, xml: change.after, createDisk: change.createDisk, warnings: opts.warnings }, null, 2) + '\n');
    else {
      io.out(diff);
      if (change.createDisk) io.out(`\nThe disk will be created first: ${change.createDisk.join(' ')}\n`);
      for (const w of opts.warnings) io.out(`warning: ${w}\n`);
      io.out(`\nNothing changed yet. To apply: ${opts.command} --yes\n`);
    }
    return EXIT.ok;
  }
  const outcome = await applyDomainChange(change, { ...opts.virsh, dataDir: opts.dataDir });
  if (opts.json) io.out(JSON.stringify({ applied: true, name: change.name, diff, ...outcome, warnings: opts.warnings }, null, 2) + '\n');
  else {
    for (const w of opts.warnings) io.out(`warning: ${w}\n`);
    if (outcome.diskCreated) io.out(`Created disk ${outcome.diskCreated}.\n`);
    const did = change.after === NO_DOMAIN ? `Removed "${change.name}" (its disk image stays).` : `Defined "${change.name}".`;
    const undo = `gpu-ferry vm undo ${JSON.stringify(change.name)}`;
    const saved = change.before === null ? ` To remove it again: ${undo}.` : ` Previous XML saved to ${outcome.backup} (undo: ${undo}).`;
    io.out(`${did}${outcome.backup ? saved : ''}\n`);
  }
  return EXIT.ok;
}

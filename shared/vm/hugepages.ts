// Plans a persistent reservation of huge pages for VM memory: one sysctl.d file of our own, loaded
// at once with `sysctl -p` on that file alone (not --system, which would re-apply every other file);
// undo sets the number reserved when the plan was made back with `sysctl -w`.
import type { HostModel } from '../host/model';
import { emptyPlan, type Plan, type Step } from '../plan/model';

export const HUGEPAGES_CONF = '/etc/sysctl.d/gpu-ferry-hugepages.conf';
/** More than this share of RAM as huge pages starves the host (the pages are never swapped or shared). */
export const MAX_SHARE = 0.75;
const GOAL = 'hugepages';

export class HugepagesInputError extends Error {}

export type HugepagesRequest = { vmMemoryMib: number } | { pages: number } | { remove: true };

export const hugepagesContent = (pages: number, why: string): string =>
  `# Written by GPU Ferry: huge pages reserved for VM memory (${why}).\nvm.nr_hugepages = ${pages}\n`;

function hostMemory(host: HostModel): { totalKiB: number; pageKiB: number } {
  const totalKiB = host.memory.MemTotal;
  const pageKiB = host.memory.Hugepagesize;
  if (!totalKiB || totalKiB <= 0 || !pageKiB || pageKiB <= 0) {
    throw new HugepagesInputError(
      'This host model has no memory information (MemTotal and Hugepagesize from /proc/meminfo): scan the host again before planning huge pages.',
    );
  }
  return { totalKiB, pageKiB };
}

function removePlan(host: HostModel): Plan {
  const plan = emptyPlan(GOAL, 'Stop reserving huge pages at boot');
  const current = host.files[HUGEPAGES_CONF];
  if (current === undefined) return plan;
  plan.steps.push({ kind: 'remove-file', path: HUGEPAGES_CONF, before: current, reason: 'Stop reserving huge pages at every boot.' });
  plan.warnings.push('Pages reserved now stay reserved until the next reboot (or `sysctl -w vm.nr_hugepages=0` once no VM uses them).');
  return plan;
}

export function planHugepages(host: HostModel, request: HugepagesRequest): Plan {
  if ('remove' in request) return removePlan(host);
  const { totalKiB, pageKiB } = hostMemory(host);
  const pageMiB = pageKiB / 1024;
  const pages = 'pages' in request ? request.pages : Math.ceil((request.vmMemoryMib * 1024) / pageKiB);
  const wantMiB = Math.round(pages * pageMiB);
  const limitMiB = Math.floor((totalKiB / 1024) * MAX_SHARE);
  if (pages * pageKiB > totalKiB * MAX_SHARE) {
    throw new HugepagesInputError(
      `${pages} pages of ${pageMiB} MiB (${wantMiB} MiB) exceed ${MAX_SHARE * 100}% of this host's ${Math.floor(totalKiB / 1024)} MiB of RAM (at most ${limitMiB} MiB): the host would run out of memory. Ask for less.`,
    );
  }
  if (pages > 9_999_999) throw new HugepagesInputError(`${pages} pages is more than GPU Ferry will reserve (9999999).`);
  const plan = emptyPlan(GOAL, `Reserve ${pages} huge pages (${wantMiB} MiB) for VM memory`);
  const content = hugepagesContent(pages, `${wantMiB} MiB in ${pageMiB} MiB pages`);
  const current = host.files[HUGEPAGES_CONF];
  if (current === content) return plan;
  const reason = `Reserve ${pages} pages of ${pageMiB} MiB at every boot.`;
  const file: Step =
    current === undefined
      ? { kind: 'write-file', path: HUGEPAGES_CONF, content, mode: 0o644, owner: 'root', group: 'root', before: null, reason }
      : { kind: 'edit-file', path: HUGEPAGES_CONF, before: current, after: content, reason };
  // Undo puts back the number of pages reserved now (the file alone would only change the next boot).
  const reservedNow = host.memory.HugePages_Total;
  const run: Step = { kind: 'run', argv: ['sysctl', '-p', HUGEPAGES_CONF], reason: 'Reserve the pages now, without a reboot.' };
  if (reservedNow !== undefined && Number.isInteger(reservedNow) && reservedNow >= 0 && reservedNow <= 9_999_999) {
    run.undo = { argv: ['sysctl', '-w', `vm.nr_hugepages=${reservedNow}`] };
  }
  plan.steps.push(file, run);
  plan.warnings.push(
    'Memory may already be fragmented: if fewer pages get reserved now (HugePages_Total in /proc/meminfo), reboot to reserve them all.',
    'The VM uses them only with <memoryBacking><hugepages/></memoryBacking> in its domain XML.',
  );
  return plan;
}

// vm.review and vm.apply: the app's way to create a VM, attach the GPU (with tuning) to one, detach it,
// or undo GPU Ferry's last change to it. Review computes the new XML in this process from the machine
// as it is and keeps it under a one-time id; apply takes only that id, so the renderer never sends XML.
// Applying goes through libvirt-apply.ts: refused when the VM changed since review, old XML backed up.
import { randomUUID } from 'node:crypto';
import { buildDoctorReport } from '../../shared/analyze/doctor';
import type { VmChangeRequest, VmChangeReview } from '../../shared/vm/vm-change-request';
import { planAttach, planCreate, planDetach, planLookingGlassDevice, type PlannedVmChange } from '../../shared/vm/vm-change';
import { ApplyRefusedError, applyDomainChange, type DomainChange } from '../system/libvirt-apply';
import { listBackedUpVms } from '../system/libvirt-backup';
import { consumeBackup, NothingToUndoError, planUndo } from '../system/libvirt-undo';
import { NO_DOMAIN } from '../../shared/vm/no-domain';
import { hypervisorVersions } from '../system/looking-glass-domain';
import { dumpXml, listDomains } from '../system/virsh';
import type { ServiceContext } from './context';
import type { Handlers } from './dispatch';
import { withHost } from './host-access';
import { ServiceError } from './service-error';
import { vmSummary, withVirshErrors } from './vm-summary';
import { virshConnection } from '../system/demo-libvirt';

type VmChangeHandlers = Pick<Handlers, 'vm.review' | 'vm.apply' | 'vm.history'>;

interface PendingChange {
  change: DomainChange;
  /** For undo: the backup being restored, consumed once applied. */
  restores: string | null;
}

/** Reviews kept at once; older ones expire (the person reviews again). */
const MAX_PENDING = 16;

const titleOf = (request: VmChangeRequest): string => {
  const name = JSON.stringify(request.name);
  if (request.kind === 'create') return `Create the VM ${name}`;
  if (request.kind === 'attach') {
    const what = [request.gpu ? `the GPU ${request.gpu}` : '', request.tune.length ? `tuning (${request.tune.join(', ')})` : ''].filter(Boolean);
    return `Give ${name} ${what.join(' and ')}`;
  }
  if (request.kind === 'looking-glass')
    return request.remove ? `Remove the Looking Glass device from ${name}` : `Add the Looking Glass device to ${name} (${request.resolution}${request.hdr ? ', HDR' : ''})`;
  if (request.kind === 'detach') return `Take ${request.gpu ? `the GPU ${request.gpu}` : 'every GPU'} back from ${name}`;
  return `Undo GPU Ferry's last change to ${name}`;
};

/** Planner errors (unknown GPU, XML we cannot edit, bad sizes) are the person's to fix: say so plainly. */
const planned = (work: () => PlannedVmChange): PlannedVmChange => {
  try {
    return work();
  } catch (error) {
    throw new ServiceError('invalid-choice', error instanceof Error ? error.message : String(error));
  }
};

export const createVmChangeHandlers = (ctx: ServiceContext): VmChangeHandlers => {
  const virsh = virshConnection(ctx.libvirtUri);
  const pending = new Map<string, PendingChange>();
  const remember = (entry: PendingChange): string => {
    const id = randomUUID();
    pending.set(id, entry);
    for (const old of pending.keys()) if (pending.size > MAX_PENDING) pending.delete(old);
    return id;
  };
  // libvirt's test driver runs nothing; a real disk image for a VM that lives there would be litter.
  const testDriver = ctx.libvirtUri.startsWith('test:');

  const reviewed = (request: VmChangeRequest, change: DomainChange, warnings: string[], restores: string | null, title: string): VmChangeReview => {
    const unchanged = change.before !== null && change.after === change.before;
    // An unchanged review has nothing to apply: its id is never remembered, so vm.apply refuses it.
    const id = unchanged ? randomUUID() : remember({ change, restores });
    const { before, after, createDisk } = change;
    return { id, kind: request.kind, name: request.name, title, before, after, createDisk, warnings, unchanged };
  };

  const reviewUndo = async (request: Extract<VmChangeRequest, { kind: 'undo' }>): Promise<VmChangeReview> => {
    const undo = await planUndo(ctx.dataDir, request.name, virsh).catch((error: unknown) => {
      throw error instanceof NothingToUndoError ? new ServiceError('nothing-to-undo', error.message) : error;
    });
    const name = JSON.stringify(request.name);
    const title =
      undo.change.after === NO_DOMAIN ? `Remove ${name}, which GPU Ferry created (its disk image stays)`
      : undo.change.before === null ? `Define ${name} again as it was before it was removed`
      : titleOf(request);
    return reviewed(request, undo.change, [], undo.restores, title);
  };

  const review = async (request: VmChangeRequest): Promise<VmChangeReview> => {
    if (request.kind === 'undo') return reviewUndo(request);
    const exists = (await listDomains(virsh)).some((d) => d.name === request.name);
    if (request.kind === 'create' && exists)
      throw new ServiceError('vm-exists', `A VM named "${request.name}" already exists. Choose another name, or attach the GPU to it instead.`);
    if (request.kind !== 'create' && !exists) throw new ServiceError('no-domain', `There is no VM named "${request.name}".`);
    const before = request.kind === 'create' ? null : await dumpXml(request.name, virsh);
    let plan: PlannedVmChange;
    if (request.kind === 'looking-glass') {
      const versions = await hypervisorVersions(virsh);
      plan = planned(() => planLookingGlassDevice(before ?? '', request, versions));
    } else {
      plan = await withHost(ctx, (host) => {
        const report = buildDoctorReport(host);
        return planned(() => {
          if (request.kind === 'create') return planCreate(host, report, request);
          if (request.kind === 'attach') return planAttach(host, report, before ?? '', request);
          return planDetach(report, before ?? '', request);
        });
      });
    }
    const warnings = [...plan.warnings];
    let createDisk = plan.createDisk;
    if (createDisk && testDriver) {
      warnings.push("Demo: libvirt's test driver runs nothing, so no disk image is created.");
      createDisk = null;
    }
    return reviewed(request, { name: request.name, before, after: plan.after, createDisk }, warnings, null, titleOf(request));
  };

  return {
    'vm.history': () => listBackedUpVms(ctx.dataDir),
    'vm.review': (request) => withVirshErrors(() => review(request)),
    'vm.apply': (id) =>
      withVirshErrors(async () => {
        const entry = pending.get(id);
        if (!entry) throw new ServiceError('review-expired', 'This review is no longer current (it was applied already, or is too old). Review the change again.');
        pending.delete(id); // one review, one apply: a second click cannot apply twice
        try {
          const outcome = await applyDomainChange(entry.change, { ...virsh, dataDir: ctx.dataDir });
          if (entry.restores) await consumeBackup(entry.restores);
          // The change is made; a failing summary (libvirt busy) must not report it as failed.
          await withHost(ctx, (host) => vmSummary(entry.change.name, host, virsh)).then(
            (summary) => ctx.events.emit('vm.state', summary),
            () => undefined,
          );
          return { name: entry.change.name, ...outcome };
        } catch (error) {
          if (error instanceof ApplyRefusedError) throw new ServiceError('refused', error.message);
          throw error;
        }
      }),
  };
};

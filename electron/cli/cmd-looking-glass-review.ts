// Builds everything `looking-glass plan` shows and `looking-glass apply` applies: the host plan (root,
// through the helper), the VM's domain XML change (libvirt) and the client.ini change (the user's own file).
import { defaultClientChoices } from '../../shared/lg/client-config';
import { parseLgVersion } from '../../shared/lg/client-version';
import { planLookingGlass } from '../../shared/lg/host-plan';
import { forDeclarativeSystem } from '../../shared/setup/declarative';
import type { LookingGlassOptions } from '../../shared/lg/options';
import { lgSizeMiB, parseResolution } from '../../shared/lg/size';
import { windowsChecklist, type ChecklistItem } from '../../shared/lg/windows-checklist';
import { buildDoctorReport } from '../../shared/analyze/doctor';
import type { HostModel } from '../../shared/host/model';
import type { Plan } from '../../shared/plan/model';
import { detectClient } from '../system/looking-glass-client';
import { previewClientConfig, type ClientConfigChange } from '../system/looking-glass-config';
import { previewDomainChange, type DomainChange } from '../system/looking-glass-domain';
import { shmPathFor } from './cmd-looking-glass-args';

export interface LgReview {
  plan: Plan;
  sizeMiB: number;
  shmPath: string;
  domain: DomainChange | null;
  /** Why there is no domain change to show (no --vm, a simulated host, libvirt's error). */
  domainNote: string | null;
  clientConfig: ClientConfigChange | null;
  checklist: ChecklistItem[];
}

/** The GPU the VM gets (the doctor's pick) has display outputs: else no monitor or dummy plug can be attached. */
export const vmGpuHasOutputs = (host: HostModel): boolean => {
  const report = buildDoctorReport(host);
  return report.gpus.find((g) => g.address === report.recommendation.gpu)?.displayOutputs !== false;
};

/** `live` is true for the real machine (no --root/--host): only then are libvirt and ~/.config consulted. */
export async function buildReview(host: HostModel, options: LookingGlassOptions, live: boolean, uri: string | undefined): Promise<LgReview> {
  const plan = forDeclarativeSystem(host, planLookingGlass(host, options), options);
  const sizeMiB = lgSizeMiB(parseResolution(options.resolution), options.hdr);
  const shmPath = shmPathFor(options);
  const mode = options.shm ? 'shm' : 'kvmfr';
  let domain: DomainChange | null = null;
  let domainNote: string | null = null;
  if (!options.vm) domainNote = 'No --vm given: the domain XML is not changed.';
  else if (!live) domainNote = 'A simulated host (--root/--host) has no libvirt: the domain XML is not changed.';
  else {
    try {
      domain = await previewDomainChange(options.vm, { mode, sizeMiB }, { uri });
    } catch (error) {
      domainNote = `Cannot read ${options.vm} from libvirt: ${(error as Error).message}${'fix' in (error as object) && (error as { fix: unknown }).fix ? ` ${(error as { fix: string }).fix}` : ''}`;
    }
  }
  const clientConfig = live ? await previewClientConfig(defaultClientChoices(shmPath)) : null;
  const detected = live ? await detectClient() : null;
  const client = detected ? detected.version : host.lookingGlass.clientVersion ? parseLgVersion(host.lookingGlass.clientVersion) : null;
  const installed = detected ? detected.path !== null : host.lookingGlass.client;
  return { plan, sizeMiB, shmPath, domain, domainNote, clientConfig, checklist: windowsChecklist(client, mode, installed, vmGpuHasOutputs(host)) };
}

// A VM as the app lists it: libvirt's name and state, plus which GPU it takes and in which mode (from
// its persistent XML and the host model). libvirt failures become ServiceErrors with libvirt's words
// and what to do.
import type { HostModel } from '../../shared/host/model';
import type { VmSummary } from '../../shared/ipc/contract';
import { passedThrough } from '../../shared/vm/gpu-hostdev';
import { vmMode } from '../../shared/vm/preflight';
import { domainState, dumpXml, VirshError, type VirshOptions } from '../system/virsh';
import { ServiceError } from './service-error';

export function summarize(name: string, state: string, xml: string, host: HostModel): VmSummary {
  const byAddress = new Map(host.pci.map((d) => [d.address, d]));
  const gpu = passedThrough(xml).find((a) => byAddress.get(a)?.classCode.startsWith('03')) ?? null;
  return { name, state, mode: vmMode(host, xml), gpu };
}

export async function vmSummary(name: string, host: HostModel, options: VirshOptions): Promise<VmSummary> {
  return summarize(name, await domainState(name, options), await dumpXml(name, options), host);
}

export async function withVirshErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VirshError)
      throw new ServiceError(error.kind, error.fix ? `${error.message} ${error.fix}` : error.message);
    throw error;
  }
}

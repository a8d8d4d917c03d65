// The XML fragments of GPU Ferry's VM tuning, written at column 0: used both when building a new VM
// (new-vm-xml.ts) and when tuning an existing one (tuning.ts), so the two can never drift apart.

/** Hyper-V enlightenments Windows guests benefit from (vendor_id also hides the hypervisor from old drivers). */
export const hypervXml = (): string =>
  [
    "<hyperv mode='custom'>",
    "  <relaxed state='on'/>",
    "  <vapic state='on'/>",
    "  <spinlocks state='on' retries='8191'/>",
    "  <vpindex state='on'/>",
    "  <runtime state='on'/>",
    "  <synic state='on'/>",
    "  <stimer state='on'/>",
    "  <reset state='on'/>",
    "  <vendor_id state='on' value='gpuferry'/>",
    "  <frequencies state='on'/>",
    '</hyperv>',
  ].join('\n');

export interface GuestTopology {
  cores: number;
  threads: number;
}

export interface CpuXmlOptions {
  topology: GuestTopology;
  /** false: software emulation (tests without KVM) gets mode='maximum', no cache passthrough. */
  kvm: boolean;
  /** AMD host reporting topoext: required so the guest sees SMT siblings as such. */
  topoext: boolean;
}

/** The <cpu> element: host-passthrough with the guest topology. */
export const cpuXml = (o: CpuXmlOptions): string =>
  [
    o.kvm ? "<cpu mode='host-passthrough' check='none' migratable='off'>" : "<cpu mode='maximum' check='none'>",
    `  <topology sockets='1' dies='1' cores='${o.topology.cores}' threads='${o.topology.threads}'/>`,
    ...(o.kvm ? ["  <cache mode='passthrough'/>"] : []),
    ...(o.kvm && o.topoext ? ["  <feature policy='require' name='topoext'/>"] : []),
    '</cpu>',
  ].join('\n');

/** No balloon: a passed-through GPU pins all guest memory anyway, and ballooning only costs. */
export const memballoonNoneXml = (): string => "<memballoon model='none'/>";

export const hugepagesBackingXml = (): string => '<memoryBacking>\n  <hugepages/>\n</memoryBacking>';

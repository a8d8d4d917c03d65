// A libvirt that remembers, for the browser demo. libvirt's test driver can load its machine from a
// file (`test:///abs/path.xml`), but every virsh call is a new connection that re-reads the file and
// forgets what it did. So after each successful define / start / shutdown / destroy / undefine on such
// a URI we write the change back into the file: the next virsh call sees the VM the last one made.
// Nothing runs: the test driver only pretends. The hook is VirshOptions.recordChange, set by
// virshConnection() for demo URIs only, so virsh.ts itself knows nothing of the demo.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findAll, findFirst, insertChild, parseXml, removeElement, replaceElement, setAttribute, type XmlElement } from '../../shared/vm/domain-xml';
import { writeFileAtomic } from './atomic-write';
import { runVirshRaw, type VirshChange, type VirshOptions } from './virsh';

export const DEMO_LIBVIRT_FILE = 'gpu-ferry-demo-libvirt.xml';

const TEST_NAMESPACE = 'http://libvirt.org/schemas/domain/test/1.0';
/** The test driver's <test:runstate> values (libvirt's virDomainState numbers). */
const RUNNING = 1;
const SHUT_OFF = 5;

/** The one VM the demo starts with: an ordinary Windows VM with no GPU attached yet. */
const SEED = `<node>
  <domain type='kvm' xmlns:test='${TEST_NAMESPACE}'>
    <name>win11</name>
    <uuid>6f1c2a8e-4b3d-4c5e-9a7f-0d1e2f3a4b5c</uuid>
    <memory unit='GiB'>8</memory>
    <vcpu>4</vcpu>
    <os>
      <type arch='x86_64' machine='q35'>hvm</type>
    </os>
    <features>
      <acpi/>
      <apic/>
    </features>
    <devices>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='/var/lib/libvirt/images/win11.qcow2'/>
        <target dev='vda' bus='virtio'/>
      </disk>
    </devices>
    <test:runstate>${SHUT_OFF}</test:runstate>
  </domain>
</node>
`;

/** Writes the demo's libvirt file into `dir` (seeded with one shut-off VM) and returns its URI. */
export const createDemoLibvirt = async (dir: string): Promise<string> => {
  const file = path.join(path.resolve(dir), DEMO_LIBVIRT_FILE);
  await writeFileAtomic(file, SEED);
  return `test://${file}`;
};

/** The file behind a demo URI, or null for any other URI (those are left alone). */
export const demoLibvirtFile = (uri: string): string | null => {
  if (!uri.startsWith('test:///')) return null;
  const file = uri.slice('test://'.length);
  return path.basename(file) === DEMO_LIBVIRT_FILE ? file : null;
};

export const isDemoLibvirt = (uri: string): boolean => demoLibvirtFile(uri) !== null;

// One change at a time per file, the virsh call and the write-back together: otherwise a change made
// while the previous one is being written back would run against the file as it was before.
const queues = new Map<string, Promise<void>>();

const serialized = async (file: string, work: () => Promise<void>): Promise<void> => {
  const next = (queues.get(file) ?? Promise.resolve()).catch(() => undefined).then(work);
  queues.set(file, next);
  try {
    await next;
  } finally {
    if (queues.get(file) === next) queues.delete(file);
  }
};

/** The options to reach libvirt at `uri`: for the demo's file, with every change written back to it. */
export const virshConnection = (uri: string): VirshOptions => {
  const file = demoLibvirtFile(uri);
  if (file === null) return { uri };
  const options: VirshOptions = {
    uri,
    recordChange: (change, run) =>
      serialized(file, async () => {
        await run();
        const store = await readFile(file, 'utf8');
        const updated = await applyChange(store, change, options.program);
        if (updated !== store) await writeFileAtomic(file, updated);
      }),
  };
  return options;
};

const nameOf = (domain: XmlElement): string => findFirst(domain, 'name')?.text.trim() ?? '';

const domainNamed = (node: XmlElement, name: string): XmlElement | null =>
  findAll(node, 'domain').find((d) => nameOf(d) === name) ?? null;

const runstateOf = (domain: XmlElement | null): number => {
  const text = domain ? findFirst(domain, 'test:runstate')?.text.trim() : undefined;
  return text === undefined ? SHUT_OFF : Number(text);
};

/** The store with `change` applied (the same text when the domain is not in it). */
async function applyChange(store: string, change: VirshChange, program: string | undefined): Promise<string> {
  const { root } = parseXml(store);
  if (change.kind === 'define') {
    const incoming = parseXml(change.xml).root;
    const existing = domainNamed(root, nameOf(incoming));
    const domain = await storedDomain(change.xml, incoming, existing, program);
    return existing ? replaceElement(store, existing, domain) : insertChild(store, root, domain);
  }
  const domain = domainNamed(root, change.name);
  if (!domain) return store;
  if (change.kind === 'undefine') return removeElement(store, domain);
  return withRunstate(store, domain, change.kind === 'start' ? RUNNING : SHUT_OFF);
}

/**
 * The domain as the store keeps it: libvirt's own dumpxml of the defined XML (so the defaults libvirt
 * fills in, such as MAC addresses it would otherwise pick anew on every connection, are fixed once),
 * with a uuid (the replaced domain's, or a new one) and the run state.
 */
async function storedDomain(xml: string, incoming: XmlElement, existing: XmlElement | null, program: string | undefined): Promise<string> {
  let fragment = xml.slice(incoming.start, incoming.end);
  const parsed = parseXml(fragment).root;
  if (!findFirst(parsed, 'uuid')) {
    const uuid = (existing && findFirst(existing, 'uuid')?.text.trim()) || randomUUID();
    const name = findFirst(parsed, 'name');
    const after = name ? parsed.children[parsed.children.indexOf(name) + 1] : undefined;
    fragment = insertChild(fragment, parsed, `<uuid>${uuid}</uuid>`, after ? { before: after } : {});
  }
  let domain = (await libvirtsDumpXml(fragment, nameOf(parsed), program)).trim();
  domain = setAttribute(domain, parseXml(domain).root, 'xmlns:test', TEST_NAMESPACE);
  return insertChild(domain, parseXml(domain).root, `<test:runstate>${runstateOf(existing)}</test:runstate>`);
}

/** `virsh dumpxml --inactive` of one domain, from a scratch test-driver file holding only it. */
async function libvirtsDumpXml(domain: string, name: string, program: string | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-demo-dump-'));
  try {
    const scratch = path.join(dir, 'node.xml');
    await writeFile(scratch, `<node>\n${domain}\n</node>\n`, { mode: 0o600 });
    const result = await runVirshRaw(['dumpxml', '--inactive', '--domain', name], { uri: `test://${scratch}`, program });
    if (result.code !== 0) throw new Error(`Could not record VM "${name}" in the demo libvirt: ${result.stderr.trim()}`);
    return result.stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function withRunstate(store: string, domain: XmlElement, state: number): string {
  const element = `<test:runstate>${state}</test:runstate>`;
  const current = findFirst(domain, 'test:runstate');
  if (current) return replaceElement(store, current, element);
  const withNamespace = domain.attributes['xmlns:test'] === TEST_NAMESPACE ? store : setAttribute(store, domain, 'xmlns:test', TEST_NAMESPACE);
  const again = domainNamed(parseXml(withNamespace).root, nameOf(domain));
  return again ? insertChild(withNamespace, again, element) : withNamespace;
}

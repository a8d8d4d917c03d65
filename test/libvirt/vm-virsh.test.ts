// The virsh adapter against libvirt's test driver and the real daemon: listing, define/start/destroy,
// awkward names, and the three error kinds a person must be told apart (missing, down, not allowed).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineXml,
  destroyDomain,
  domainState,
  dumpXml,
  listDomains,
  startDomain,
  undefineDomain,
  VirshError,
} from '../../electron/system/virsh';
import { ensureLibvirtd } from './ensure-daemon';

beforeAll(ensureLibvirtd);

const test = { uri: 'test:///default' };
const system = { uri: 'qemu:///system' };

const minimal = (name: string) =>
  `<domain type='test'><name>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>`;

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof VirshError ? error.kind : `other: ${String(error)}`;
  }
}

describe('virsh adapter on the test driver (test:///default)', () => {
  it('lists the built-in running domain', async () => {
    expect(await listDomains(test)).toContainEqual({ name: 'test', state: 'running' });
    expect(await dumpXml('test', test)).toContain('<name>test</name>');
  });

  // Each virsh call on test:///default gets a fresh driver, so define and list happen within one call
  // there; names are checked against the real daemon below.
  it('reports a missing domain as no-domain with libvirt’s words', async () => {
    const error = await dumpXml('gpu-ferry-no-such-vm', test).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VirshError);
    expect((error as VirshError).kind).toBe('no-domain');
    expect((error as VirshError).libvirtMessage).toMatch(/gpu-ferry-no-such-vm/);
  });
});

describe('names with spaces, quotes and non-ASCII letters on the real daemon', () => {
  const names = [`gpu-ferry-test Jeux vidéo`, `gpu-ferry-test Alex's "main"`, 'gpu-ferry-test ゲーム', '-gpu-ferry-test-dash'];
  afterAll(async () => {
    for (const name of names) await undefineDomain(name, system).catch(() => undefined);
  });

  it.each(names)('defines, finds and removes %j', async (name) => {
    await defineXml(minimal(name).replace("type='test'", "type='qemu'"), system);
    expect((await listDomains(system)).map((d) => d.name)).toContain(name);
    expect(await domainState(name, system)).toBe('shut off');
    expect(await dumpXml(name, system)).toContain(name.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/"/g, '&quot;'));
    await undefineDomain(name, system);
    expect((await listDomains(system)).map((d) => d.name)).not.toContain(name);
  });

  it('libvirt itself refuses "/" in a name, and we refuse it before calling virsh', async () => {
    const error = (await defineXml(minimal('gpu-ferry/slash').replace("type='test'", "type='qemu'"), system).catch((e: unknown) => e)) as VirshError;
    expect(error).toBeInstanceOf(VirshError);
    expect(error.libvirtMessage).toMatch(/'\/'|slash|name/i);
    await expect(startDomain('gpu-ferry/slash', system)).rejects.toThrow(/does not allow "\/"/);
    await expect(dumpXml('12', system)).rejects.toThrow(/domain id/);
  });
});

describe('errors a person can act on', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('virsh missing', async () => {
    const error = (await listDomains({ ...test, program: '/nonexistent/virsh' }).catch((e: unknown) => e)) as VirshError;
    expect(error.kind).toBe('virsh-missing');
    expect(error.fix).toMatch(/libvirt-clients/);
  });

  it('daemon not running (no socket)', async () => {
    const error = (await listDomains({ uri: 'qemu+unix:///system?socket=/run/gpu-ferry-test/no-such.sock' }).catch((e: unknown) => e)) as VirshError;
    expect(error.kind).toBe('daemon-down');
    expect(error.libvirtMessage).toMatch(/Failed to connect socket/);
    expect(error.fix).toMatch(/systemctl enable --now libvirtd/);
  });

  it('permission denied for a user polkit does not allow (virsh run as nobody)', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-virsh-nobody-'));
    await chmod(dir, 0o777);
    const wrapper = path.join(dir, 'virsh-as-nobody');
    // The real virsh, run as an unprivileged user against the real daemon.
    await writeFile(wrapper, `#!/bin/sh\nexport HOME=${dir} XDG_RUNTIME_DIR=${dir} XDG_CACHE_HOME=${dir}\nexec runuser -u nobody -- virsh "$@"\n`, { mode: 0o755 });
    const error = (await listDomains({ ...system, program: wrapper }).catch((e: unknown) => e)) as VirshError;
    expect(error).toBeInstanceOf(VirshError);
    expect(error.kind).toBe('permission');
    expect(error.fix).toMatch(/usermod -aG libvirt/);
    expect(error.fix).toMatch(/polkit/);
  });

  it('a failed start keeps libvirt’s message and is not mistaken for a permission problem', async () => {
    const name = 'gpu-ferry-test-missing-disk';
    const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><disk type='file' device='disk'><source file='/nonexistent/gpu-ferry.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>`;
    await defineXml(xml, system);
    try {
      const error = (await startDomain(name, system).catch((e: unknown) => e)) as VirshError;
      expect(error.kind).toBe('failed');
      expect(error.libvirtMessage).toMatch(/nonexistent\/gpu-ferry\.qcow2/);
      expect(await kindOf(destroyDomain(name, system))).toBe('failed');
    } finally {
      await undefineDomain(name, system);
    }
  });
});

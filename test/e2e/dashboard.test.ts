// The dashboard in Chromium: VMs listed through the real handlers, preflight checks, and one-click
// Launch and power-off of a real (software-emulated, diskless) VM in the project's test libvirt daemon.
// libvirt's test driver forgets a started VM when virsh exits, so Launch is proven on the daemon.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureScreen, launchChromium, type Page } from './browser';
import { projectRoot, startServe } from './serve-process';

const uri = 'qemu:///system';
const vm = `gpu-ferry-e2e-${process.pid}`;
const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const axeViolations: string[] = [];
const screen = async (page: Page, name: string) => {
  axeViolations.push(...(await captureScreen(page, name)));
};
let dir: string;

beforeAll(() => {
  // The daemon is shared with other tiers: start it only when it does not answer (ensure waits on a
  // lock that a long libvirt test may hold).
  try {
    execFileSync('virsh', ['-q', '-c', uri, 'version'], { stdio: 'ignore', timeout: 60000 });
  } catch {
    execFileSync('bash', [path.join(projectRoot, 'test/lib/libvirtd.sh'), 'ensure'], { stdio: 'inherit' });
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-e2e-vm-'));
  const xml = path.join(dir, 'vm.xml');
  writeFileSync(
    xml,
    `<domain type='qemu'><name>${vm}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
      `<os><type arch='x86_64' machine='q35'>hvm</type></os>` +
      `<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>`,
  );
  // Domains left by an earlier run that was killed (ours by their prefix) go first.
  for (const stale of virsh('list', '--all', '--name').split('\n').filter((n) => n.startsWith('gpu-ferry-e2e-'))) {
    try {
      virsh('destroy', stale);
    } catch {
      // not running
    }
    virsh('undefine', stale);
  }
  virsh('define', xml);
}, 600000); // a daemon busy with other tiers can take minutes to define a domain

afterAll(() => {
  try {
    virsh('destroy', vm);
  } catch {
    // not running: fine
  }
  virsh('undefine', vm);
  rmSync(dir, { recursive: true, force: true });
  expect(axeViolations).toEqual([]);
}, 600000);

it('lists VMs, runs the preflight checks, launches a VM with one click and powers it off', async () => {
  const served = await startServe(['--demo', '--libvirt', uri, '--allow-system-changes']);
  const browser = await launchChromium('dark');
  try {
    const page = await browser.context.newPage();
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Your VMs' }).waitFor();
    const card = page.locator('article.vm-card', { has: page.getByRole('heading', { name: vm, exact: true }) });
    await card.waitFor();
    expect(virsh('domstate', vm).trim()).toBe('shut off');
    await screen(page, 'dashboard-01-vms');

    await card.getByRole('button', { name: 'Run checks' }).click();
    await card.locator('.checklist').waitFor();
    await screen(page, 'dashboard-02-preflight');

    // Launch runs the same checks again; a warning is listed in a dialog that asks first.
    await card.getByRole('button', { name: `Launch ${vm}` }).click();
    const ask = page.getByRole('dialog', { name: `Launch ${vm} with warnings?` });
    const shutDown = card.getByRole('button', { name: `Shut down ${vm}` });
    await shutDown.or(ask).first().waitFor({ timeout: 240000 });
    if (await ask.isVisible()) {
      expect(await ask.locator('li.check-warn').count()).toBeGreaterThan(0);
      expect(await card.locator('li.check-warn').count()).toBe(await ask.locator('li.check-warn').count());
      await screen(page, 'dashboard-02b-launch-warnings');
      await ask.getByRole('button', { name: `Launch ${vm} anyway` }).click();
    }
    await shutDown.waitFor({ timeout: 240000 });
    expect(virsh('domstate', vm).trim()).toBe('running');
    expect(await card.getByRole('status').textContent()).toBe('running');
    expect(await page.locator('.notice-error').count()).toBe(0);
    await screen(page, 'dashboard-03-launched');

    // No OS inside answers an ACPI shutdown: power it off.
    await card.getByRole('button', { name: 'Force off' }).click();
    await card.getByRole('button', { name: `Launch ${vm}` }).waitFor({ timeout: 240000 });
    expect(virsh('domstate', vm).trim()).toBe('shut off');
    await screen(page, 'dashboard-04-stopped');
  } finally {
    await browser.close();
    await served.stop();
  }
}, 600000);

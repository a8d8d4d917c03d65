// Launch in the browser demo: `serve --demo` keeps its VMs in a file-backed libvirt test driver, so a VM
// started by one virsh call is still running for the next one (and for a virsh run by this test).
import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { captureScreen, launchChromium, type Page } from './browser';
import path from 'node:path';
import { projectRoot, startServe } from './serve-process';

const vm = 'win11';
const axeViolations: string[] = [];
const screen = async (page: Page, name: string) => {
  axeViolations.push(...(await captureScreen(page, name)));
};

afterAll(() => {
  expect(axeViolations).toEqual([]);
});

it('launches the demo VM with one click, and it stays running until shut down or forced off', async () => {
  const served = await startServe(['--demo']);
  const browser = await launchChromium('dark');
  try {
    // serve names the URI in its note about where VMs live.
    const uri = /VMs live in libvirt's test driver \((test:\/\/\/\S+?)\)/.exec(served.output())?.[1];
    expect(uri).toMatch(/^test:\/\/\/.+\/gpu-ferry-demo-libvirt\.xml$/);
    const domstate = () => execFileSync('virsh', ['-q', '-c', uri ?? '', 'domstate', '--domain', vm], { encoding: 'utf8' }).trim();
    expect(domstate()).toBe('shut off');

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Your VMs' }).waitFor();
    const card = page.locator('article.vm-card', { has: page.getByRole('heading', { name: vm, exact: true }) });
    await card.waitFor();
    expect(await card.getByRole('status').textContent()).toBe('shut off');
    await screen(page, 'demo-launch-01-dashboard');

    const launch = card.getByRole('button', { name: `Launch ${vm}` });
    const shutDown = card.getByRole('button', { name: `Shut down ${vm}` });
    const confirm = page.getByRole('dialog', { name: 'Your desktop will close' });

    // The seeded VM has no GPU: it launches at once, without the single-GPU warning.
    await launch.click();
    await shutDown.waitFor({ timeout: 60000 });
    expect(await confirm.count()).toBe(0);
    await expect.poll(() => card.getByRole('status').textContent()).toBe('running');
    expect(domstate()).toBe('running');
    expect(await page.locator('.notice-error').count()).toBe(0);
    await screen(page, 'demo-launch-02-running');

    // A fresh page asks libvirt again: the VM is still running.
    await page.reload();
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await shutDown.waitFor();
    expect(await card.getByRole('status').textContent()).toBe('running');

    await shutDown.click();
    await launch.waitFor({ timeout: 60000 });
    await expect.poll(() => card.getByRole('status').textContent()).toBe('shut off');
    expect(domstate()).toBe('shut off');
    await screen(page, 'demo-launch-03-shut-down');

    // Give it the machine's only GPU with the CLI, on the same demo libvirt: now Launch warns first.
    execFileSync(process.execPath, [
      path.join(projectRoot, 'bin/gpu-ferry.cjs'), 'vm', 'attach', '--gpu', '0000:0a:00.0', vm,
      '--host', path.join(projectRoot, 'test/fixtures/hosts/nvidia-only-desktop.host.json'), '--connect', uri ?? '', '--yes',
    ], { stdio: 'ignore' });
    await page.reload();
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await card.getByText('Single GPU').waitFor();
    // The hook is not installed yet: Launch runs the checks, shows the failing one with its fix, starts nothing.
    await launch.click();
    await card.getByRole('alert').filter({ hasText: 'Not launched: a check below failed' }).waitFor({ timeout: 60000 });
    expect(await card.locator('li.check-fail', { hasText: 'is not installed' }).count()).toBeGreaterThan(0);
    expect(await confirm.count()).toBe(0);
    expect(domstate()).toBe('shut off');
    await screen(page, 'demo-launch-04a-blocked');
    // The fix, in the app: the VM step's hand-over settings and hook, reviewed and applied.
    await page.getByRole('button', { name: 'Setup', exact: true }).click();
    await page.getByRole('navigation', { name: 'Setup steps' }).getByRole('button', { name: /^The VM/ }).click();
    for (const goal of [/^Review plan: Write the per-VM handoff config/, /^Review plan: Install the libvirt hook/]) {
      await page.getByRole('button', { name: goal }).click();
      const plan = page.locator('section.plan').last();
      await plan.getByRole('button', { name: 'Apply' }).click();
      await plan.getByText('Applied', { exact: true }).waitFor({ timeout: 60000 });
    }
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await launch.click();
    await confirm.waitFor({ timeout: 60000 });
    expect(domstate()).toBe('shut off'); // nothing starts before the person confirms
    await screen(page, 'demo-launch-04-confirm');
    await confirm.getByRole('button', { name: `Close desktop and launch ${vm}` }).click();
    await shutDown.waitFor({ timeout: 60000 });
    expect(domstate()).toBe('running');

    await card.getByRole('button', { name: 'Force off' }).click();
    await launch.waitFor({ timeout: 60000 });
    await expect.poll(() => card.getByRole('status').textContent()).toBe('shut off');
    expect(domstate()).toBe('shut off');
    expect(await page.locator('.notice-error').count()).toBe(0);
    await screen(page, 'demo-launch-05-forced-off');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await served.stop();
  }
}, 300000);

// The dashboard in Chromium on `gpu-ferry serve --demo`: VMs from libvirt's test driver, preflight
// checks, and Launch (with the single-GPU "your desktop will close" confirmation) through the real
// handlers. Screenshots and axe like the wizard.
import { afterAll, expect, it } from 'vitest';
import { captureScreen, launchChromium, type Page } from './browser';
import { startServe } from './serve-process';

const axeViolations: string[] = [];
const screen = async (page: Page, name: string) => {
  axeViolations.push(...(await captureScreen(page, name)));
};

afterAll(() => expect(axeViolations).toEqual([]));

it('lists the demo VMs and launches one with one click (after the single-GPU confirmation)', async () => {
  const served = await startServe(['--demo']);
  const browser = await launchChromium('dark');
  try {
    expect(served.output()).toContain("libvirt's test driver");
    const page = await browser.context.newPage();
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Your VMs' }).waitFor();
    const card = page.locator('article.vm-card').first();
    await card.waitFor({ timeout: 30000 });
    await screen(page, 'dashboard-01-vms');

    await card.getByRole('button', { name: 'Run checks' }).click();
    await card.locator('.checklist').waitFor({ timeout: 30000 });
    await screen(page, 'dashboard-02-preflight');

    const name = (await card.locator('h3').textContent()) ?? '';
    const shutDown = card.getByRole('button', { name: `Shut down ${name}` });
    if (await shutDown.count()) {
      await shutDown.click();
      await card.getByRole('button', { name: `Launch ${name}` }).waitFor({ timeout: 60000 });
    }
    await card.getByRole('button', { name: `Launch ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Your desktop will close' });
    if (await dialog.isVisible()) {
      await screen(page, 'dashboard-03-confirm');
      await dialog.getByRole('button', { name: `Close desktop and launch ${name}` }).click();
    }
    await card.getByRole('button', { name: `Shut down ${name}` }).waitFor({ timeout: 60000 });
    expect(await page.locator('.notice-error').count()).toBe(0);
    await screen(page, 'dashboard-04-launched');
  } finally {
    await browser.close();
    await served.stop();
  }
});

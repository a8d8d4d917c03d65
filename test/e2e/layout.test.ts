// The layout at the sizes people use: 800×600 (a small laptop window) and 1920×1080, in both themes, on
// the screens of the journey. Nothing may stick out sideways (the page never scrolls horizontally, the
// theme picker stays inside the window) and the brand stays on one line. Every screen is saved to
// test-results/e2e/layout-*.png and checked with axe.
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium, type Page } from './browser';
import { checkLayout, LAYOUTS } from './layout-check';
import { pickFixtures } from './fixture-hosts';
import { startServe } from './serve-process';

const axeViolations: string[] = [];
const check = async (page: Page, name: string) => axeViolations.push(...(await checkLayout(page, name)));

describe('layout', () => {
  afterAll(() => expect(axeViolations).toEqual([]));

  it.each(LAYOUTS)('%s theme at %i×%i: nothing clipped on the journey screens', async (theme, width, height) => {
    const served = await startServe(['--host', pickFixtures()['igpu-dgpu']]);
    const browser = await launchChromium(theme);
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(served.url);
      await page.getByRole('navigation', { name: 'Views' }).waitFor();
      await page.getByRole('button', { name: 'Setup', exact: true }).click();
      const prefix = `layout-${theme}-${width}x${height}`;
      await page.locator('#step-title').filter({ hasText: 'Welcome' }).waitFor();
      await check(page, `${prefix}-01-welcome`);
      for (const [i, step] of ['Check this machine', 'Choose the GPU', 'Boot setup', 'The VM', 'Looking Glass', 'Done'].entries()) {
        await page.getByRole('navigation', { name: 'Setup steps' }).getByRole('button', { name: new RegExp(`^${step}`) }).click();
        await page.locator('#step-title').filter({ hasText: step }).waitFor();
        if (step === 'The VM') {
          // The new-VM form: the screen and the keyboard and mouse fields, the widest part of the step.
          await page.getByLabel('Create a new VM').check();
          await page.getByText('Logitech USB Receiver').first().waitFor();
        }
        await check(page, `${prefix}-0${i + 2}-${step.toLowerCase().replace(/ /g, '-')}`);
      }
      await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
      await page.getByRole('heading', { name: 'Your VMs' }).waitFor();
      await page.locator('article.vm-card').first().waitFor();
      await check(page, `${prefix}-08-dashboard`);
      await page.getByRole('button', { name: 'Journal', exact: true }).click();
      await page.getByRole('heading', { name: 'Journal' }).waitFor();
      await check(page, `${prefix}-09-journal`);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'System integration' }).waitFor();
      await page.getByRole('button', { name: /^Review (re)?install$/ }).waitFor();
      await check(page, `${prefix}-10-settings`);
    } finally {
      await browser.close();
      await served.stop();
    }
  }, 300000);
});

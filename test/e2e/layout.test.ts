// The layout at the sizes people use: 800×600 (a small laptop window) and 1920×1080, in both themes, on
// the screens of the journey. Nothing may stick out sideways (the page never scrolls horizontally, the
// theme picker stays inside the window) and the brand stays on one line. Every screen is saved to
// test-results/e2e/layout-*.png and checked with axe.
import { afterAll, describe, expect, it } from 'vitest';
import { captureScreen, launchChromium, type Page } from './browser';
import { pickFixtures } from './fixture-hosts';
import { startServe } from './serve-process';

const axeViolations: string[] = [];

const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 1 || r.left < -1) && !el.closest('.sr-only, .skip, pre, .diff');
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .slice(0, 5);
    const brand = document.querySelector('.brand')?.getBoundingClientRect();
    const picker = document.querySelector('.theme-pick select')?.getBoundingClientRect();
    return {
      scroll: document.documentElement.scrollWidth - width,
      outside,
      brandOneLine: brand ? brand.height < 40 : false,
      pickerInside: picker ? picker.right <= width && picker.left >= 0 : false,
    };
  });

const check = async (page: Page, name: string) => {
  const o = await overflow(page);
  expect(o, name).toEqual({ scroll: 0, outside: [], brandOneLine: true, pickerInside: true });
  axeViolations.push(...(await captureScreen(page, name)));
};

describe('layout', () => {
  afterAll(() => expect(axeViolations).toEqual([]));

  it.each([
    ['dark', 800, 600],
    ['light', 800, 600],
    ['dark', 1920, 1080],
    ['light', 1920, 1080],
  ] as const)('%s theme at %i×%i: nothing clipped on the journey screens', async (theme, width, height) => {
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

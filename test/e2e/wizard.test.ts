// The whole app in Debian's Chromium against `gpu-ferry serve --host <fixture>`: every wizard screen on
// three kinds of machine, a plan applied to the simulated root and undone byte for byte, and Launch on
// the dashboard. Every screen is saved to test-results/e2e/ and checked with axe.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureScreen, launchChromium, type Page } from './browser';
import { pickFixtures, type FixtureKind } from './fixture-hosts';
import { startServe } from './serve-process';
import { changedPaths, snapshotTree } from './tree-snapshot';

const fixtures = pickFixtures();
const axeViolations: string[] = [];

const heading = (page: Page) => page.locator('#step-title');

const screen = async (page: Page, name: string) => {
  axeViolations.push(...(await captureScreen(page, name)));
};

const continueTo = async (page: Page, title: string) => {
  await page.getByRole('button', { name: `Continue to ${title}` }).click();
  await expect.poll(() => heading(page).textContent()).toBe(title);
  // Keyboard users land on the new step's heading, and the next Tab shows a visible focus ring.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-title');
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return { tag: el?.tagName ?? '', outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' };
  });
  expect(['BUTTON', 'INPUT', 'SELECT', 'A', 'PRE', 'SUMMARY']).toContain(focus.tag);
  expect(focus.outline).toMatch(/^solid [1-9]/);
};

/** Applies the IOMMU plan in the browser, then undoes it from the journal; checks the root both times. */
const applyAndUndo = async (page: Page, root: string, prefix: string) => {
  const before = snapshotTree(root);
  await page.getByRole('button', { name: /^Review plan: Add the kernel parameters/ }).click();
  const plan = page.locator('section.plan');
  await plan.waitFor();
  await expect.poll(async () => (await plan.locator('li.step').count()) > 0).toBe(true);
  await screen(page, `${prefix}-03-plan-review`);
  await plan.getByRole('button', { name: 'Apply' }).click();
  await plan.getByText(/^Applied$|Some steps failed/).or(plan.getByRole('alert')).first().waitFor({ timeout: 60000 });
  expect(await plan.getByText('Applied', { exact: true }).count(), await plan.textContent() ?? '').toBe(1);
  await screen(page, `${prefix}-04-plan-applied`);
  const applied = snapshotTree(root);
  const changed = changedPaths(before, applied);
  expect(changed.length).toBeGreaterThan(0);
  const undo = page.getByRole('button', { name: /^Undo / }).first();
  await undo.click();
  await expect.poll(() => page.getByRole('button', { name: /^Undo / }).count(), { timeout: 60000 }).toBe(0);
  await screen(page, `${prefix}-05-undone`);
  expect(changedPaths(before, snapshotTree(root))).toEqual([]);
  return changed;
};

/** On a machine already set up the plan is empty and says so, with nothing to apply. */
const expectNothingToDo = async (page: Page, root: string, prefix: string) => {
  const before = snapshotTree(root);
  await page.getByRole('button', { name: /^Review plan: Add the kernel parameters/ }).click();
  await page.getByText('Nothing to change').waitFor();
  expect(await page.getByRole('button', { name: 'Apply' }).count()).toBe(0);
  await screen(page, `${prefix}-03-plan-empty`);
  expect(changedPaths(before, snapshotTree(root))).toEqual([]);
};

const walk = async (kind: FixtureKind, opts: { colorScheme: 'dark' | 'light'; applyPlan: boolean }) => {
  const served = await startServe(['--host', fixtures[kind]]);
  const browser = await launchChromium(opts.colorScheme);
  const prefix = `${kind}-${opts.colorScheme}`;
  try {
    expect(served.simulatedRoot).toBeTruthy();
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(served.url);
    // The token moves from the address bar to session storage.
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    await page.getByRole('button', { name: 'Setup', exact: true }).click();
    await page.getByRole('navigation', { name: 'Setup steps' }).getByRole('button', { name: 'Check this machine' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Check this machine');
    await page.locator('.checklist').waitFor();
    await screen(page, `${prefix}-01-check`);

    await continueTo(page, 'Choose the GPU');
    const cards = page.locator('.gpu-card');
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await page.locator('.gpu-card figure.group').count()).toBe(await cards.count());
    expect(await page.locator('.gpu-card input[type=radio]:checked').count()).toBeLessThanOrEqual(1);
    await screen(page, `${prefix}-02-gpu`);

    await continueTo(page, 'Boot setup');
    if (opts.applyPlan) await applyAndUndo(page, served.simulatedRoot ?? '', prefix);
    else await expectNothingToDo(page, served.simulatedRoot ?? '', prefix);

    await continueTo(page, 'The VM');
    await screen(page, `${prefix}-06-vm`);
    const steps = await page.locator('.stepper li').allTextContents();
    if (steps.some((s) => s.includes('Looking Glass'))) {
      await continueTo(page, 'Looking Glass');
      await screen(page, `${prefix}-07-looking-glass`);
    }
    await continueTo(page, 'Done');
    await screen(page, `${prefix}-08-done`);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByRole('heading', { name: 'Your VMs' }).waitFor();
    await screen(page, `${prefix}-09-dashboard`);
    await page.getByRole('button', { name: 'Journal', exact: true }).click();
    await page.getByRole('heading', { name: 'Journal' }).waitFor();
    await screen(page, `${prefix}-10-journal`);
    expect(errors).toEqual([]);
    return { page, served };
  } finally {
    await browser.close();
    await served.stop();
  }
};

describe('wizard in Chromium', () => {
  afterAll(() => {
    // Reported once for every screen of every host.
    expect(axeViolations).toEqual([]);
  });

  it('single NVIDIA GPU, IOMMU already on: walks every step; the IOMMU plan is empty and changes nothing', async () => {
    await walk('single-nvidia', { colorScheme: 'dark', applyPlan: false });
  });

  it('iGPU + dGPU: walks every step including Looking Glass (light theme), applies and undoes', async () => {
    await walk('igpu-dgpu', { colorScheme: 'light', applyPlan: true });
  });

  it('IOMMU off in firmware: walks every step, applies the kernel half of the fix and undoes it', async () => {
    await walk('broken-iommu', { colorScheme: 'dark', applyPlan: true });
  });

  it('the fixture files exist where the tier expects them', () => {
    for (const file of Object.values(fixtures)) expect(path.isAbsolute(file)).toBe(true);
  });
});

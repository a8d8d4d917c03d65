// Debian's Chromium through playwright-core, with the flags that work on CI machines, a fresh profile
// per launch, and helpers to screenshot a screen and check it with axe.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from './serve-process';

export const screenshotDir = path.join(projectRoot, 'test-results/e2e');

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export const launchChromium = async (colorScheme: 'dark' | 'light' = 'dark'): Promise<Chromium> => {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    colorScheme,
  });
  // Playwright's 30 s default is short on a loaded 2-core CI machine: every wait and action without its
  // own deadline gets 60 s (a deadline on a condition, not a sleep: a fast machine waits no longer).
  context.setDefaultTimeout(60_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

export type { Browser, Page };

/** Saves a full-page screenshot and returns the serious/critical axe violations of the screen. */
export const captureScreen = async (page: Page, name: string) => {
  mkdirSync(screenshotDir, { recursive: true });
  // From the top, so the sticky header sits where a person sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
};

// SR-IOV in the wizard, in Chromium against `gpu-ferry serve --host` of a published iGPU with VFs
// (intel-sriov-igpu): the GPU step shows the PF's VFs with their IOMMU groups, a count is reviewed as the
// sriov-vfs plan and applied to the simulated root (the boot rule written; the live steps reported, not
// run, on a simulated machine), a VF is chosen, and the VM step passes that VF alone. At 800×600 and
// 1920×1080 in both themes, with the layout rule and axe on each screen.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { fixtureDir } from './fixture-hosts';
import { checkLayout, LAYOUTS } from './layout-check';
import { startServe } from './serve-process';

const axeViolations: string[] = [];
const RULE = 'etc/udev/rules.d/70-gpu-ferry-sriov-0000-00-02-0.rules';

describe('SR-IOV in the wizard', () => {
  afterAll(() => expect(axeViolations).toEqual([]));

  it.each(LAYOUTS)(
    '%s theme at %i×%i: VFs seen, a count applied, a VF given to the VM',
    async (theme, width, height) => {
      const served = await startServe(['--host', path.join(fixtureDir, 'intel-sriov-igpu.host.json')]);
      const browser = await launchChromium(theme);
      const page = await browser.context.newPage();
      const check = async (name: string) =>
        axeViolations.push(...(await checkLayout(page, `sriov-${theme}-${width}x${height}-${name}`)));
      try {
        expect(served.simulatedRoot).toBeTruthy();
        await page.setViewportSize({ width, height });
        await page.goto(served.url);
        await page.getByRole('navigation', { name: 'Views' }).waitFor();
        await page.getByRole('button', { name: 'Setup', exact: true }).click();
        await page
          .getByRole('navigation', { name: 'Setup steps' })
          .getByRole('button', { name: /^Choose the GPU/ })
          .click();
        const section = page.getByRole('region', { name: 'Share the GPU: SR-IOV virtual functions' });
        await section.waitFor();
        expect(await section.textContent()).toContain('2 of 7 virtual functions exist now');
        const vfs = section.getByRole('group', { name: 'The virtual function the VM gets' });
        expect(await vfs.getByRole('radio').count()).toBe(2);
        expect(await vfs.getByText(/IOMMU group 20, alone in it/).count()).toBe(1);
        await check('01-gpu-step');

        await section.getByLabel(/^Virtual functions, now and at every boot/).fill('3');
        await section.getByRole('button', { name: 'Review plan' }).click();
        const plan = section.locator('section.plan');
        await plan.locator('li.step').first().waitFor();
        expect(await plan.textContent()).toContain(
          'Set the SR-IOV virtual functions of 0000:00:02.0 from 2 to 3 now',
        );
        expect(await plan.textContent()).toContain(`/${RULE}`);
        await check('02-plan-review');
        await plan.getByRole('button', { name: 'Apply' }).click();
        await plan
          .getByText(/^Applied$|Some steps failed/)
          .or(plan.getByRole('alert'))
          .first()
          .waitFor({ timeout: 60000 });
        expect(
          await plan.getByText('Applied', { exact: true }).count(),
          (await plan.textContent()) ?? '',
        ).toBe(1);
        expect(readFileSync(path.join(served.simulatedRoot ?? '', RULE), 'utf8')).toContain(
          'ATTR{sriov_numvfs}="3"',
        );
        await check('03-plan-applied');

        await vfs.getByRole('radio', { name: /0000:00:02\.2/ }).check();
        await page
          .getByRole('navigation', { name: 'Setup steps' })
          .getByRole('button', { name: /^The VM/ })
          .click();
        await page.locator('#step-title').filter({ hasText: 'The VM' }).waitFor();
        await page
          .getByText(
            /\(0000:00:02\.2\) (is passed through|will be added) on its own: an SR-IOV virtual function/,
          )
          .waitFor();
        await page.getByRole('heading', { name: '2. When the VM starts and stops' }).waitFor();
      expect(await page.getByRole('button', { name: /^Review plan: Write the per-VM handoff config/ }).count()).toBe(0);
      await check('04-vm-step');
      } finally {
        await browser.close();
        await served.stop();
      }
    },
    300000,
  );
});

// The whole app in Debian's Chromium against `gpu-ferry serve --host <fixture>`: every wizard screen on
// three kinds of machine, a plan applied to the simulated root and undone byte for byte, and Launch on
// the dashboard. Every screen is saved to test-results/e2e/ and checked with axe.
import { execFileSync } from 'node:child_process';
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
  // Reviewed first: the files that go back, then a confirmation; the result is shown.
  const review = page.getByRole('group', { name: /^Review undo of / });
  await review.waitFor();
  expect(changedPaths(applied, snapshotTree(root))).toEqual([]); // the first click changed nothing
  await screen(page, `${prefix}-05a-undo-review`);
  await review.getByRole('button', { name: 'Undo this change' }).click();
  await expect.poll(() => page.getByRole('button', { name: /^Undo / }).count(), { timeout: 60000 }).toBe(0);
  await page.getByText(/^Undone: /).waitFor();
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

const demoUri = (output: string): string => {
  const uri = /VMs live in libvirt's test driver \((test:\/\/\/\S+?)\)/.exec(output)?.[1];
  expect(uri).toBeTruthy();
  return uri ?? '';
};
const dumpxml = (uri: string, vm: string) => execFileSync('virsh', ['-q', '-c', uri, 'dumpxml', '--domain', vm, '--inactive'], { encoding: 'utf8' });
const domstate = (uri: string, vm: string) => execFileSync('virsh', ['-q', '-c', uri, 'domstate', '--domain', vm], { encoding: 'utf8' }).trim();
const domains = (uri: string) => execFileSync('virsh', ['-q', '-c', uri, 'list', '--all', '--name'], { encoding: 'utf8' }).split('\n').filter(Boolean);

/** Reviews a goal's plan from its button and applies it to the simulated root. */
const applyGoal = async (page: Page, button: RegExp, expectText: string) => {
  await page.locator('section.panel').getByRole('button', { name: button }).click();
  const plan = page.locator('section.plan').last();
  await plan.locator('li.step').first().waitFor();
  expect(await plan.textContent()).toContain(expectText);
  await plan.getByRole('button', { name: 'Apply' }).click();
  await plan.getByText(/^Applied$|Some steps failed/).or(plan.getByRole('alert')).first().waitFor({ timeout: 60000 });
  expect(await plan.getByText('Applied', { exact: true }).count(), (await plan.textContent()) ?? '').toBe(1);
};

/**
 * The VM step: a new VM with a keyboard and mouse (single GPU: the USB devices of the machine, chosen by
 * name; two GPUs: the SPICE screen and its input), reviewed (the exact XML) and defined; then the handoff
 * config and the hook applied, so Launch's checks can pass.
 */
const createVm = async (page: Page, uri: string, prefix: string, singleGpu: boolean) => {
  const step = page.locator('section.panel');
  await step.getByLabel('Create a new VM').check();
  await step.getByLabel(/^Name/).fill('Gaming PC');
  await step.getByLabel(/^Memory/).fill('12');
  const where = (await step.getByRole('note').textContent()) ?? '';
  if (singleGpu) {
    expect(where).toMatch(/installer appears on the monitor plugged into that GPU/);
    await step.getByLabel(/^Cherry USB Keyboard/).check();
    await step.getByLabel(/^Logitech USB Optical Mouse/).check();
  } else {
    expect(where).toMatch(/SPICE screen/);
  }
  await screen(page, `${prefix}-06-vm-input`);
  await step.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('section.vm-review');
  await review.getByRole('heading', { name: 'Create the VM "Gaming PC"' }).waitFor();
  expect(await review.locator('.dl-add').count()).toBeGreaterThan(40); // the whole definition, line by line
  expect(await review.getByText("<memory unit='MiB'>12288</memory>").count()).toBe(1);
  expect(await review.getByText(/hostdev mode='subsystem' type='pci'/).count()).toBeGreaterThan(0);
  expect(domains(uri)).not.toContain('Gaming PC'); // review changes nothing
  await screen(page, `${prefix}-06a-vm-review`);
  await review.getByRole('button', { name: 'Apply' }).click();
  await review.getByText('Applied', { exact: true }).waitFor();
  expect(domains(uri)).toContain('Gaming PC');
  const xml = dumpxml(uri, 'Gaming PC');
  expect(xml).toContain("<hostdev mode='subsystem' type='pci'");
  if (singleGpu) {
    expect(xml).toMatch(/<vendor id='0x046a'\/>\s*<product id='0x0011'\/>/);
    expect(xml).toMatch(/<vendor id='0x046d'\/>\s*<product id='0xc077'\/>/);
    expect(xml).not.toContain('<graphics');
  } else {
    expect(xml).toContain("<graphics type='spice'");
    expect(xml).toContain("<model type='qxl'");
    expect(xml).toContain("<input type='keyboard' bus='virtio'/>");
    expect(xml).toContain("name='com.redhat.spice.0'");
  }
  await screen(page, `${prefix}-06b-vm-created`);
  // The handoff config for the new VM and the hook: reviewed and applied to the simulated root.
  await applyGoal(page, /^Review plan: Write the per-VM handoff config/, '/etc/gpu-ferry/vms/');
  await screen(page, `${prefix}-06c-handoff-applied`);
  await applyGoal(page, /^Review plan: Install the libvirt hook/, '/etc/libvirt/hooks/qemu.d/gpu-ferry');
  // Two GPUs: the desktop kept off the VM's GPU (Xorg would open it at start and the hook refuse to Launch).
  if (!singleGpu) await applyGoal(page, /^Review plan: Keep the Linux desktop off the VM's GPU/, '/etc/X11/xorg.conf.d/20-gpu-ferry-display-off-vm-gpu.conf');
  else expect(await page.getByRole('button', { name: /^Review plan: Keep the Linux desktop off/ }).count()).toBe(0);
  expect(await page.locator('.notice-error').count()).toBe(0);
};

/** Dashboard Launch: the checks run and are shown; a single-GPU VM asks first; the VM runs; shut down. */
const launchFromDashboard = async (page: Page, uri: string, prefix: string, singleGpu: boolean) => {
  const card = page.locator('article.vm-card', { has: page.getByRole('heading', { name: 'Gaming PC', exact: true }) });
  await card.waitFor();
  await card.getByRole('button', { name: 'Launch Gaming PC' }).click();
  const checks = card.getByRole('list', { name: 'Checks for Gaming PC' });
  await checks.waitFor({ timeout: 60000 });
  expect(await checks.locator('li').count()).toBeGreaterThan(3);
  const failing = await checks.locator('li.check-fail').allTextContents();
  expect(failing, 'Launch blocked').toEqual([]);
  if (singleGpu || (await page.getByRole('dialog').count()) > 0) {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await screen(page, `${prefix}-09b-launch-confirm`);
    await dialog.getByRole('button', { name: /launch Gaming PC/i }).click();
  }
  await card.getByRole('button', { name: 'Shut down Gaming PC' }).waitFor({ timeout: 60000 });
  await expect.poll(() => domstate(uri, 'Gaming PC')).toBe('running');
  await screen(page, `${prefix}-09c-running`);
  await card.getByRole('button', { name: 'Force off' }).click();
  await card.getByRole('button', { name: 'Launch Gaming PC' }).waitFor({ timeout: 60000 });
};

/** The VM step on an existing VM: GPU and tuning attached, then undone through the same review. */
const attachAndUndo = async (page: Page, uri: string, prefix: string) => {
  const original = dumpxml(uri, 'win11');
  const step = page.locator('section.panel');
  await step.getByLabel('Use an existing VM').check();
  await step.getByLabel(/^No memory balloon/).uncheck();
  await step.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('section.vm-review');
  await review.getByRole('heading', { name: /^Give "win11" the GPU .* and tuning \(pinning, hyperv, cpu\)$/ }).waitFor();
  await screen(page, `${prefix}-06a-vm-review`);
  await review.getByRole('button', { name: 'Apply' }).click();
  await review.getByText('Applied', { exact: true }).waitFor();
  const attached = dumpxml(uri, 'win11');
  expect(attached).toContain('<hostdev');
  expect(attached).toContain('<hyperv');
  await screen(page, `${prefix}-06b-vm-attached`);
  await review.getByRole('button', { name: 'Undo this change' }).click();
  await review.getByRole('heading', { name: `Undo GPU Ferry's last change to "win11"` }).waitFor();
  await review.getByRole('button', { name: 'Apply' }).click();
  await review.getByText('Applied', { exact: true }).waitFor();
  expect(dumpxml(uri, 'win11')).toBe(original);
};

/** The Looking Glass step's VM half: the shared-memory device reviewed and added to the new VM. */
const addLookingGlass = async (page: Page, uri: string, prefix: string) => {
  const step = page.locator('section.panel');
  await step.getByRole('combobox', { name: /^VM(?! screen)/ }).selectOption('Gaming PC');
  await step.getByLabel('VM screen resolution').selectOption('3840x2160');
  await step.getByRole('button', { name: 'Review the VM change' }).click();
  const review = page.locator('section.vm-review');
  await review.getByRole('heading', { name: 'Add the Looking Glass device to "Gaming PC" (3840x2160)' }).waitFor();
  // 3840x2160 SDR needs 128 MiB: the kvmfr device of that size is in the reviewed diff.
  expect(await review.locator('.dl-add', { hasText: 'kvmfr' }).count()).toBeGreaterThan(0);
  expect(await review.locator('.dl-add', { hasText: /134217728|128M/ }).count()).toBeGreaterThan(0);
  await screen(page, `${prefix}-07a-looking-glass-review`);
  await review.getByRole('button', { name: 'Apply' }).click();
  await review.getByText('Applied', { exact: true }).waitFor();
  // libvirt's test driver drops <qemu:commandline> (the real daemon keeps it: test/libvirt/vm-change-handlers.test.ts),
  // so here the proof of the apply is the backup of the previous definition it made.
  expect(await review.getByText(/previous definition is saved/).count()).toBe(1);
  expect(dumpxml(uri, 'Gaming PC')).toContain('<name>Gaming PC</name>');
};

const walk = async (kind: FixtureKind, opts: { colorScheme: 'dark' | 'light'; applyPlan: boolean; vm: 'create' | 'attach' | 'look' }) => {
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
    // The badge names the simulated machine, not the computer running the test.
    await expect.poll(() => page.locator('.badge-demo').textContent()).toContain(path.basename(fixtures[kind]).replace(/\.host\.json$/, ''));
    await page.getByRole('button', { name: 'Setup', exact: true }).click();
    // A first run opens on the welcome: the two modes in words, this machine's marked.
    await expect.poll(() => heading(page).textContent()).toBe('Welcome');
    if (kind === 'broken-iommu') expect(await page.getByText(/cannot tell yet which way suits this machine/).count()).toBe(1);
    else expect(await page.locator('.mode.this h3').textContent()).toBe(kind === 'igpu-dgpu' ? 'Two GPUs — this machine' : 'One GPU — this machine');
    await screen(page, `${prefix}-00-welcome`);
    await continueTo(page, 'Check this machine');
    await page.locator('.checklist').waitFor();
    if (kind === 'broken-iommu') {
      // Only the firmware setting can fix this: the step explains where it is, and boot setup is not offered as the fix.
      expect(await page.getByRole('heading', { name: 'Turn the IOMMU on in the firmware' }).count()).toBe(1);
    }
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
    const singleGpu = kind === 'single-nvidia';
    if (opts.vm === 'attach') await attachAndUndo(page, demoUri(served.output()), prefix);
    if (opts.vm !== 'look') await createVm(page, demoUri(served.output()), prefix, singleGpu);
    const steps = await page.locator('.stepper li').allTextContents();
    if (steps.some((s) => s.includes('Looking Glass'))) {
      await continueTo(page, 'Looking Glass');
      await screen(page, `${prefix}-07-looking-glass`);
      if (opts.vm !== 'look') await addLookingGlass(page, demoUri(served.output()), prefix);
    }
    await continueTo(page, 'Done');
    await screen(page, `${prefix}-08-done`);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByRole('heading', { name: 'Your VMs' }).waitFor();
    if (opts.vm !== 'look') await page.getByRole('heading', { name: 'Gaming PC', exact: true }).waitFor();
    await screen(page, `${prefix}-09-dashboard`);
    if (opts.vm !== 'look') await launchFromDashboard(page, demoUri(served.output()), prefix, singleGpu);
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

  it('single NVIDIA GPU, IOMMU already on: walks every step; the IOMMU plan is empty; gives the GPU to the existing VM and undoes it; creates a VM with USB keyboard and mouse and launches it through the checks', async () => {
    await walk('single-nvidia', { colorScheme: 'dark', applyPlan: false, vm: 'attach' });
  });

  it('iGPU + dGPU: walks every step including Looking Glass (light theme), applies and undoes, creates a VM with a SPICE screen and launches it through the checks', async () => {
    await walk('igpu-dgpu', { colorScheme: 'light', applyPlan: true, vm: 'create' });
  });

  it('IOMMU off in firmware: walks every step, applies the kernel half of the fix and undoes it', async () => {
    await walk('broken-iommu', { colorScheme: 'dark', applyPlan: true, vm: 'look' });
  });

  it('the fixture files exist where the tier expects them', () => {
    for (const file of Object.values(fixtures)) expect(path.isAbsolute(file)).toBe(true);
  });
});

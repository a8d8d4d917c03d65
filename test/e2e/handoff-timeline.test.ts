// The dashboard's handoff timeline fed by the REAL handoff runtime: resources/handoff/gpu-ferry-handoff runs
// prepare/release on a fake tree (GPU_FERRY_ROOT; as nobody, since the runtime ignores it as root), and its
// JSON-lines log is placed where `handoff.log` reads it in the served simulated root. One cycle succeeds;
// one prepare fails (a program holds the GPU's node) and rolls back. Chromium must show both in words.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { handoffConfigPath, renderHandoffConfig } from '../../shared/handoff/config';
import { HANDOFF_LOG_DIR } from '../../shared/handoff/installed-paths';
import { vmFileStem } from '../../shared/vm/vm-name';
import { addSingleGpuDesktop, fakeTree } from '../lib/handoff-fake-tree';
import { captureScreen, launchChromium, type Page } from './browser';
import { pickFixtures } from './fixture-hosts';
import { startServe } from './serve-process';

const VM = 'test'; // the one domain of libvirt's test:///default
const GPU = '0000:0a:00.0';
const axeViolations: string[] = [];
const screen = async (page: Page, name: string) => {
  axeViolations.push(...(await captureScreen(page, name)));
};

const fake = fakeTree(mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-e2e-handoff-')));
const { root: tree, put } = fake;

/**
 * A single-GPU NVIDIA machine whose GPU is already on vfio-pci (a fake driver never lets go of a device,
 * so that is the one way the whole prepare succeeds): a display manager (fake systemctl that records its
 * state in units/), a frame buffer console and an EFI frame buffer to release, an IOMMU group with its
 * /dev/vfio node.
 */
const buildTree = () => {
  put(handoffConfigPath(VM), renderHandoffConfig({ vm: VM, mode: 'single-gpu', devices: [GPU], modules: [], displayManager: 'sddm.service', session: 'wait', holders: 'refuse', timeoutStopSeconds: 1, timeoutDeviceSeconds: 1 }));
  put(`sys/bus/pci/devices/${GPU}/vendor`, '0x10de\n');
  put(`sys/bus/pci/devices/${GPU}/class`, '0x030000\n');
  symlinkSync('../../../kernel/iommu_groups/14', path.join(tree, `sys/bus/pci/devices/${GPU}/iommu_group`));
  // The kernel lists each group's members too; the runtime finds a device's group from that side.
  mkdirSync(path.join(tree, 'sys/kernel/iommu_groups/14/devices'), { recursive: true });
  symlinkSync(`../../../../bus/pci/devices/${GPU}`, path.join(tree, `sys/kernel/iommu_groups/14/devices/${GPU}`));
  put(`sys/bus/pci/drivers/vfio-pci/${GPU}/uevent`, '');
  mkdirSync(path.join(tree, 'sys/module/vfio_pci'), { recursive: true });
  put('dev/vfio/14', '');
  mkdirSync(path.join(tree, 'dev'), { recursive: true });
  symlinkSync('/dev/zero', path.join(tree, 'dev/nvidia0')); // a character device, as the runtime checks
  mkdirSync(path.join(tree, 'proc'), { recursive: true });
  addSingleGpuDesktop(fake);
  put('bin/systemctl', `#!/bin/bash\nu="\${@: -1}"\ncase $1 in is-active) cat "${tree}/units/$u" 2>/dev/null || echo inactive;; stop) echo inactive >"${tree}/units/$u";; start) echo active >"${tree}/units/$u";; esac\n`);
  chmodSync(path.join(tree, 'bin/systemctl'), 0o755);
};

/** Runs the runtime on the tree, with the tree's fake systemctl (as nobody when we are root). */
const runtime = (action: 'prepare' | 'release') => fake.runRuntime([action, VM], { fakeBin: true });

/** Puts the runtime's log where the served app's `handoff.log` reads it. */
const publishLog = (simulatedRoot: string) => {
  const dir = path.join(simulatedRoot, HANDOFF_LOG_DIR);
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(tree, HANDOFF_LOG_DIR, `${vmFileStem(VM)}.jsonl`), path.join(dir, `${vmFileStem(VM)}.jsonl`));
};

afterAll(() => {
  rmSync(tree, { recursive: true, force: true });
  expect(axeViolations).toEqual([]);
});

it('shows a real successful handoff and a real failed one with its rollback, in words with durations', async () => {
  buildTree();
  const prepared = runtime('prepare');
  expect(prepared.status, prepared.stderr).toBe(0);
  expect(runtime('release').status).toBe(0);

  const served = await startServe(['--host', pickFixtures()['single-nvidia'], '--libvirt', 'test:///default']);
  const browser = await launchChromium('dark');
  try {
    expect(served.simulatedRoot).not.toBeNull();
    publishLog(served.simulatedRoot ?? '');
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    const card = page.locator('article.vm-card', { has: page.getByRole('heading', { name: VM, exact: true }) });
    await card.waitFor();

    const handOver = card.getByRole('region', { name: `Handing the GPU to ${VM}` });
    const giveBack = card.getByRole('region', { name: 'Giving the GPU back to the host' });
    await handOver.waitFor();
    await expect.poll(() => handOver.textContent()).toMatch(new RegExp(`The GPU went to ${VM} in \\d+ ms\\.`));
    const steps = handOver.getByRole('list', { name: `Steps: Handing the GPU to ${VM}` }).getByRole('listitem');
    const stepTexts = await steps.allTextContents();
    // The runtime's order, each step in words, with its duration and outcome; no raw step ids.
    expect(stepTexts.map((t) => /^Prepare(.+?)( — |\d)/.exec(t)?.[1])).toEqual([
      'Check that only the desktop session uses the GPU', 'Stop the display manager', 'Wait for the desktop session to end', 'Stop nvidia-persistenced', 'Release the text console',
      'Release the firmware frame buffer', 'Check that no program uses the GPU', 'Detach the GPU from its host driver',
      'Unload the GPU driver modules', 'Give the GPU to vfio-pci', 'Check the GPU is ready for the VM',
    ]);
    for (const t of stepTexts) expect(t).toMatch(/\d+ ms(done|skipped)$/);
    expect(stepTexts[1]).toContain('stopped sddm.service');
    expect(stepTexts.join('\n')).not.toMatch(/dm-stop|vfio-bind|driver-unbind/);
    const backTexts = await giveBack.getByRole('listitem').allTextContents();
    // The display first on release (the login screen is what the person waits for): the text console, then the
    // display manager, then what can wait.
    expect(backTexts.map((t) => /^Release(.+?) — /.exec(t)?.[1])).toEqual([
      'Bind the text console again', 'Start the display manager again', 'Bind the firmware frame buffer again',
    ]);
    for (const t of backTexts) expect(t).toMatch(/\d+ msundone$/);
    expect(await giveBack.textContent()).toMatch(/The GPU came back to the host in \d+ ms\./);
    expect(await card.locator('figcaption').textContent()).toBe('Last handoff');
    await screen(page, 'timeline-01-success');

    // sysfs reads back "1\n" after the release wrote "1"; a plain file keeps what was written.
    put('sys/class/vtconsole/vtcon1/bind', '1\n');
    // A program of the desktop session holds the GPU's /dev/nvidia0 and stays after the session ended: the next
    // prepare refuses and undoes what it had done. (One outside the session is refused before anything is done.)
    mkdirSync(path.join(tree, 'proc/4242/fd'), { recursive: true });
    put('run/systemd/sessions/3', 'UID=1000\nTYPE=x11\nSCOPE=session-3.scope\n');
    put('proc/4242/cgroup', '0::/user.slice/user-1000.slice/session-3.scope\n');
    put('proc/4242/comm', 'steam\n');
    put('proc/4242/status', 'Name:\tsteam\nUid:\t1000\t1000\t1000\t1000\n');
    symlinkSync(path.join(tree, 'dev/nvidia0'), path.join(tree, 'proc/4242/fd/0'));
    const failed = runtime('prepare');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/in use by: 4242:steam\(\/dev\/nvidia0\)/);
    publishLog(served.simulatedRoot ?? '');
    await page.reload();
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await handOver.waitFor();
    await expect.poll(() => handOver.textContent()).toContain('Failed at “Check that no program uses the GPU”. Rolled back: 3 steps undone, the GPU stayed on the host.');
    expect(await giveBack.count()).toBe(0); // the release belonged to the earlier handoff
    expect(await card.locator('figcaption').textContent()).toBe('Last handoff · had a failure');
    const failTexts = await handOver.getByRole('listitem').allTextContents();
    const failedRow = failTexts.find((t) => t.includes('Check that no program uses the GPU'));
    expect(failedRow).toMatch(/^PrepareCheck that no program uses the GPU — the GPU is in use by: 4242:steam\(\/dev\/nvidia0\)\d+ msfailed$/);
    expect(failTexts.filter((t) => t.startsWith('Rollback')).map((t) => /^Rollback(.+?) — /.exec(t)?.[1])).toEqual([
      'Bind the text console again', 'Start the display manager again', 'Bind the firmware frame buffer again',
    ]);
    // Nothing after the failed step ran.
    expect(failTexts.some((t) => t.includes('Give the GPU to vfio-pci'))).toBe(false);
    await screen(page, 'timeline-02-failed-rollback');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await served.stop();
  }
}, 300000);

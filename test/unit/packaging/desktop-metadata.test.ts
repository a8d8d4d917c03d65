// Desktop integration files and the electron-builder configuration, checked with the real tools:
// desktop-file-validate, appstreamcli (offline) and electron-builder's own configuration validator.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);
const desktopFile = path.join(repo, 'build/linux/gpu-ferry.desktop');
const metainfo = path.join(repo, 'build/linux/io.github.gpuferry.GpuFerry.metainfo.xml');
const loadConfig = () => require(path.join(repo, 'build/electron-builder.config.cjs'));
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (config: unknown, debugLogger: unknown) => Promise<void>;
};
const debugLogger = { isEnabled: false, add: () => undefined };

describe('desktop integration files', () => {
  it('the .desktop file passes desktop-file-validate', async () => {
    const { stdout, stderr } = await run('desktop-file-validate', [desktopFile]);
    expect(stdout + stderr).toBe('');
  });

  it('the AppStream metainfo passes appstreamcli validate --no-net and launches our .desktop file', async () => {
    const { stdout } = await run('appstreamcli', ['validate', '--no-net', '--no-color', metainfo]);
    expect(stdout).toMatch(/Validation was successful/);
    const xml = readFileSync(metainfo, 'utf8');
    expect(xml).toContain(`<launchable type="desktop-id">${path.basename(desktopFile)}</launchable>`);
    expect(xml).toContain(`<release version="${require(path.join(repo, 'package.json')).version}"`);
    const images = [
      ...xml.matchAll(
        /<image>https:\/\/raw\.githubusercontent\.com\/[^<]+\/main\/(build\/screenshots\/[^<]+\.png)<\/image>/g,
      ),
    ].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      // Each screenshot the metainfo points at is in the repository, and is a PNG.
      expect(readFileSync(path.join(repo, image)).subarray(0, 8).toString('hex'), image).toBe(
        '89504e470d0a1a0a',
      );
    }
  });

  it('a broken .desktop file is caught by the validator (the check can fail)', async () => {
    await expect(run('desktop-file-validate', ['/dev/null'])).rejects.toBeTruthy();
  });
});

describe('electron-builder configuration', () => {
  it('passes electron-builder validation, and an unknown key does not', async () => {
    await expect(validateConfiguration(loadConfig(), debugLogger)).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...loadConfig(), linux: { ...loadConfig().linux, bogus: 1 } }, debugLogger),
    ).rejects.toThrow(/configuration.linux/);
  });

  it('builds AppImage, deb and rpm for x64 with our install scripts', () => {
    const config = loadConfig();
    expect(config.linux.target).toEqual(
      ['AppImage', 'deb', 'rpm'].map((target) => ({ target, arch: ['x64'] })),
    );
    for (const kind of ['deb', 'rpm']) {
      expect(config[kind].afterInstall).toBe('build/linux/after-install.sh');
      expect(config[kind].afterRemove).toBe('build/linux/after-remove.sh');
    }
    // after-install.sh hard-codes the install directory electron-builder derives from productName.
    expect(readFileSync(path.join(repo, 'build/linux/after-install.sh'), 'utf8')).toContain(
      `APP_DIR='/opt/${config.productName}'`,
    );
    expect(readFileSync(path.join(repo, 'build/linux/after-install.sh'), 'utf8')).toContain(
      `EXECUTABLE=${config.linux.executableName}`,
    );
  });

  it('flips the security fuses: no RunAsNode, no NODE_OPTIONS, no inspector, asar integrity on', () => {
    expect(loadConfig().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('takes its desktop entry from the validated .desktop file, and every packaged resource exists', () => {
    const config = loadConfig();
    expect(config.linux.desktop.entry).toMatchObject({
      Name: 'GPU Ferry',
      Icon: 'gpu-ferry',
      Categories: 'System;Emulator;',
    });
    expect(config.linux.desktop.entry.Exec).toBeUndefined(); // electron-builder refuses an Exec here
    for (const { from } of config.extraResources) expect(existsSync(path.join(repo, from)), from).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512])
      expect(existsSync(path.join(repo, `build/linux/icons/${size}x${size}.png`))).toBe(true);
  });
});

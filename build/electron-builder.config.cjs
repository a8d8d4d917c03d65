// electron-builder configuration: AppImage, deb and rpm for x64. Build with `npm run dist`.
// The [Desktop Entry] comes from build/linux/gpu-ferry.desktop (validated by desktop-file-validate in
// test/unit/packaging), so there is one source for it. deb/rpm run our own after-install/after-remove
// scripts (system files at fixed paths, electron-builder's chrome-sandbox fix kept).
const { readFileSync } = require('node:fs');
const path = require('node:path');

const linuxDir = path.join(__dirname, 'linux');

/** [Desktop Entry] keys of our .desktop file; Exec is electron-builder's to set (it knows the install path). */
function desktopEntry() {
  const entry = {};
  for (const line of readFileSync(path.join(linuxDir, 'gpu-ferry.desktop'), 'utf8').split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*)=(.*)$/.exec(line);
    if (match && match[1] !== 'Exec') entry[match[1]] = match[2];
  }
  return entry;
}

const scripts = { afterInstall: 'build/linux/after-install.sh', afterRemove: 'build/linux/after-remove.sh' };

module.exports = {
  appId: 'io.github.gpuferry.GpuFerry',
  productName: 'GPU Ferry',
  copyright: 'Copyright © 2026 The GPU Ferry developers',
  directories: { output: 'out/packages', buildResources: 'build/linux' },
  // Everything the app runs is bundled by esbuild/Vite into dist/; no node_modules in the package.
  files: [
    'dist/main/**',
    'dist/preload/**',
    'dist/renderer/**',
    'package.json',
    '!**/*.map',
    '!node_modules/**',
  ],
  asar: true,
  extraResources: [
    { from: 'resources/helper', to: 'helper' },
    // The privileged program root runs, bundled by build/build.mjs (installed beside the launcher).
    { from: 'dist/privileged/gpu-ferry-privileged.cjs', to: 'helper/gpu-ferry-privileged.cjs' },
    { from: 'resources/polkit', to: 'polkit' },
    { from: 'resources/handoff', to: 'handoff' },
    { from: 'resources/hooks', to: 'hooks' },
    { from: 'build/linux/icons/256x256.png', to: 'icons/gpu-ferry.png' },
    {
      from: 'build/linux/io.github.gpuferry.GpuFerry.metainfo.xml',
      to: 'linux/io.github.gpuferry.GpuFerry.metainfo.xml',
    },
    // The list of system files (after-install, install-integration and stage-install read it).
    { from: 'build/linux/system-files.txt', to: 'linux/system-files.txt' },
  ],
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // The renderer is loaded from file:// (dist/renderer/index.html, an ES module bundle), which needs
    // Electron's file: privileges; navigation to any other file: URL is blocked in electron/main/security.ts.
    grantFileProtocolExtraPrivileges: true,
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
      { target: 'rpm', arch: ['x64'] },
    ],
    executableName: 'gpu-ferry',
    icon: 'build/linux/icons',
    category: 'System',
    synopsis: 'Hand your GPU to a Windows VM and back with one click',
    description: 'GPU Ferry sets up VFIO GPU passthrough and hands a GPU to a Windows VM and back.',
    maintainer: 'The GPU Ferry developers <gpu-ferry@users.noreply.github.com>',
    vendor: 'The GPU Ferry developers',
    desktop: { entry: desktopEntry() },
  },
  deb: {
    ...scripts,
    // electron-builder's default list (replaced when set) plus polkit, which runs the helper.
    depends: [
      'libgtk-3-0 | libgtk-3-0t64',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0 | libatspi2.0-0t64',
      'libuuid1',
      'libsecret-1-0',
      'polkitd | policykit-1',
      // Runs the privileged program (resources/helper/gpu-ferry-helper → gpu-ferry-privileged.cjs, built
      // for node18): root cannot read an AppImage mount and Electron's runAsNode fuse is off.
      'nodejs (>= 18)',
    ],
    recommends: ['libvirt-daemon-system', 'qemu-system-x86', 'ovmf', 'swtpm'],
  },
  rpm: {
    ...scripts,
    depends: [
      'gtk3',
      'libnotify',
      'nss',
      'libXScrnSaver',
      'libXtst',
      'xdg-utils',
      'at-spi2-core',
      'libuuid',
      'libsecret',
      'polkit',
      'nodejs >= 18',
    ],
  },
};

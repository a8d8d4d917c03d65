// Builds every bundle: the CLI, the Electron main process, the sandboxed preload (one CommonJS file)
// and the renderer (Vite). `--cli-only` builds just the CLI (run by `npm ci` through `prepare`).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { contractNamesOnly } from './contract-names-plugin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cliOnly = process.argv.includes('--cli-only');

const nodeBundle = (entry, outfile, extra = {}) =>
  existsSync(path.join(root, entry))
    ? build({
        entryPoints: [path.join(root, entry)],
        outfile: path.join(root, outfile),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: true,
        logLevel: 'warning',
        ...extra,
      })
    : Promise.resolve();

await nodeBundle('electron/cli/main.ts', 'dist/cli/gpu-ferry.cjs');
// The privileged program root runs (through pkexec and resources/helper/gpu-ferry-helper): one
// self-contained file for the distribution's Node.js (Debian 12 ships 18), no source map beside it.
await nodeBundle('electron/privileged/main.ts', 'dist/privileged/gpu-ferry-privileged.cjs', { target: 'node18', sourcemap: false, legalComments: 'none' });
if (!cliOnly) {
  await nodeBundle('electron/main/main.ts', 'dist/main/main.cjs', { external: ['electron'] });
  await nodeBundle('electron/preload/preload.ts', 'dist/preload/preload.cjs', { external: ['electron'], plugins: [contractNamesOnly] });
  if (existsSync(path.join(root, 'renderer/index.html'))) {
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  }
}

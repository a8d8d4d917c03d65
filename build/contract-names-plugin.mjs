// esbuild plugin for the preload bundle (used by build.mjs and test/unit/main/preload-bundle.test.ts).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The preload needs only the contract's channel NAMES, not its zod schemas (which made it ~750 KB). This
 * plugin evaluates the real contract at build time and hands the preload a module with just the names,
 * so they still come from the one table and are never written twice.
 */
export const contractNamesOnly = {
  name: 'contract-names-only',
  setup(b) {
    b.onResolve({ filter: /\/shared\/ipc\/contract$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path), namespace: 'contract-names' }));
    b.onLoad({ filter: /.*/, namespace: 'contract-names' }, async (args) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-contract-'));
      try {
        const out = path.join(dir, 'contract.cjs');
        await build({ entryPoints: [`${args.path}.ts`], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
        const contract = createRequire(import.meta.url)(out);
        const names = { invokeChannelNames: contract.invokeChannelNames, eventChannelNames: contract.eventChannelNames };
        return {
          contents: Object.entries(names).map(([k, v]) => `export const ${k} = ${JSON.stringify(v)};`).join('\n'),
          loader: 'js',
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
};

#!/usr/bin/env node
// The `gpu-ferry` command. The CLI is bundled to dist/cli by `npm run build` (also run by `npm ci`).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundled = path.join(__dirname, '..', 'dist', 'cli', 'gpu-ferry.cjs');
if (!fs.existsSync(bundled)) {
  process.stderr.write('gpu-ferry: the CLI is not built yet; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(70);
}
require(bundled);

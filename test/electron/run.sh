#!/usr/bin/env bash
# The Electron tier: Playwright's Electron support against the built app, where an Electron binary
# exists. No binary can be downloaded here (CI), so then it says so and passes as a skip — the only
# skip `npm test` allows. (Electronegativity runs in the unit tier: test/unit/main/electronegativity.test.ts.)
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=$(node --input-type=module -e "import { findElectronBinary } from './build/electron-binary.mjs'; const b = findElectronBinary(); if (b.path) console.log(b.path); else console.error('electron: ' + b.reason);")
if [[ -z $binary ]]; then
  echo "SKIPPED: no Electron binary (cannot be downloaded here)"
  exit 0
fi

node build/build.mjs
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "electron tier: no display and no xvfb-run (install xvfb)" >&2
    exit 1
  fi
  exec xvfb-run -a npx tsx test/electron/smoke.ts "$binary"
fi
exec npx tsx test/electron/smoke.ts "$binary"

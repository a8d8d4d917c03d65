#!/usr/bin/env bash
# The e2e tier: builds the CLI and the renderer, then drives the app in Debian's Chromium through the
# loopback server (browser mode). Screenshots go to test-results/e2e/. Missing tools fail the tier.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
[ -x /usr/bin/chromium ] || missing+=("chromium (apt-get install chromium)")
command -v virsh >/dev/null || missing+=("virsh (apt-get install libvirt-clients)")
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'tier e2e: missing %s\n' "${missing[@]}" >&2
  exit 1
fi

# The CLI and the renderer are all this tier needs (the Electron bundles are tested elsewhere).
node build/build.mjs --cli-only
npx vite build --config renderer/vite.config.ts --logLevel warn
rm -rf test-results/e2e
mkdir -p test-results/e2e
npx vitest run --project e2e "$@"
echo "tier e2e: screenshots in test-results/e2e/ ($(find test-results/e2e -name '*.png' | wc -l) files)"

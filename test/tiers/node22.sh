#!/usr/bin/env bash
# Node 20 and 22 must both build and test: run the build and the unit tiers again under Node 22
# (Node 22 comes from the npm registry's `node` package: a binary shipped inside a registry package).
set -euo pipefail
cd "$(dirname "$0")/../.."
node22=(npx -y node@22)
"${node22[@]}" --version
"${node22[@]}" build/build.mjs
"${node22[@]}" node_modules/vitest/vitest.mjs run --project unit --project renderer

#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
npx vitest run --project unit --project renderer

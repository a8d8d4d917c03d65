#!/usr/bin/env bash
# `npm test`: every tier, in order of cost. Each tier also runs alone (npm run test:<tier>).
# A tier whose tool is missing fails; nothing is skipped here except the Electron smoke test where no
# Electron binary exists (it says so itself).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
tiers=(static unit helper libvirt kernel e2e electron node22 system)
passed=0 failed=0 failures=()
for tier in "${tiers[@]}"; do
  printf '\n=== tier: %s ===\n' "$tier"
  start=$SECONDS
  if bash "test/tiers/$tier.sh"; then
    passed=$((passed + 1)); printf '=== tier %s passed in %ss ===\n' "$tier" $((SECONDS - start))
  else
    failed=$((failed + 1)); failures+=("$tier"); printf '=== tier %s FAILED in %ss ===\n' "$tier" $((SECONDS - start))
  fi
done
[ "$failed" -eq 0 ] || printf 'failed tiers: %s\n' "${failures[*]}"
printf 'tiers: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# The helper tier: the real bash helper against temporary roots (vitest 'helper' project: round trip,
# hostile corpus, crash, race, undo, every goal × fixture), plus shellcheck and the polkit DTD check.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in shellcheck xmllint setpriv flock sha256sum base64; do
  command -v "$tool" >/dev/null || { echo "helper tier: $tool is missing" >&2; exit 1; }
done
[ -f /usr/share/polkit-1/policyconfig-1.dtd ] || { echo "helper tier: polkit DTD missing (install polkitd)" >&2; exit 1; }
shellcheck --severity=style resources/helper/gpu-ferry-helper
xmllint --noout --dtdvalid /usr/share/polkit-1/policyconfig-1.dtd resources/polkit/io.github.gpuferry.policy
npx vitest run --project helper

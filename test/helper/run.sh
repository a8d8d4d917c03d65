#!/usr/bin/env bash
# The helper tier: the real privileged program (electron/privileged/, bundled) against temporary roots
# and, as real root, in private mount namespaces (vitest 'helper' project: requests, attacks, crash, race,
# undo, every goal × fixture), plus shellcheck of the launcher and the polkit DTD check.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in shellcheck xmllint setpriv unshare sha256sum; do
  command -v "$tool" >/dev/null || { echo "helper tier: $tool is missing" >&2; exit 1; }
done
[ -f /usr/share/polkit-1/policyconfig-1.dtd ] || { echo "helper tier: polkit DTD missing (install polkitd)" >&2; exit 1; }
shellcheck --severity=style resources/helper/gpu-ferry-helper build/linux/after-install.sh build/linux/after-remove.sh
xmllint --noout --dtdvalid /usr/share/polkit-1/policyconfig-1.dtd resources/polkit/io.github.gpuferry.policy
node build/build.mjs --cli-only
npx vitest run --project helper

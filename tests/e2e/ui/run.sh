#!/usr/bin/env bash
# Runs the browser tests of the web UI against a built keygate binary (CTest: e2e_ui).
#   tests/e2e/ui/run.sh <path to keygate> [playwright test arguments…]
# Installs the pinned npm packages (package-lock.json) only when node_modules is missing or
# older than the lock file; never downloads a browser: the tests drive Debian's chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$(realpath "$1")"
shift
cd "$here"
for tool in node npm npx; do
  command -v "$tool" >/dev/null || { echo "e2e_ui: $tool is missing: run ./scripts/install-deps.sh --test" >&2; exit 1; }
done
[[ -x /usr/bin/chromium ]] || { echo "e2e_ui: /usr/bin/chromium is missing: run ./scripts/install-deps.sh --test" >&2; exit 1; }
marker=node_modules/.package-lock.json
if [[ ! -f "$marker" || package-lock.json -nt "$marker" || ! -d node_modules/@playwright/test ]]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
export KG_BINARY="$binary"
export KG_UI_OUTPUT_DIR="${KG_UI_OUTPUT_DIR:-$(dirname "$binary")/ui-test-results}"
exec npx --no-install playwright test "$@"

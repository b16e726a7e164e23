#!/usr/bin/env bash
# Builds Keygate with AddressSanitizer, UndefinedBehaviorSanitizer and warnings as errors, and
# runs every test: unit, integration (in-process server, real SQLite, real SMTP server) and
# end-to-end (the built binary).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
# The browser tests' npm packages (pinned by tests/e2e/ui/package-lock.json; no browser download).
(cd tests/e2e/ui && { [[ -d node_modules/@playwright/test && ! package-lock.json -nt node_modules/.package-lock.json ]] ||
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error; })
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci "$@"

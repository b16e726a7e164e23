#!/usr/bin/env bash
# Builds Keygate with AddressSanitizer, UndefinedBehaviorSanitizer and warnings as errors, and
# runs every test: unit, integration (in-process server, real SQLite, real SMTP server) and
# end-to-end (the built binary).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci "$@"

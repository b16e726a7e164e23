#!/usr/bin/env bash
# Builds Keygate (release) and runs it with embedded SQLite in ./data, demo organizations and
# users, and mail written to ./data/outbox. Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target keygate
exec ./build/release/src/app/keygate --config config/demo.toml serve --demo "$@"

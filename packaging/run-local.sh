#!/usr/bin/env bash
# Builds the web client and runs the server on the embedded default
# (SQLite, files and index under ./hearth-data). Extra arguments go to
# `hearth serve`, e.g. --listen 0.0.0.0:8065 or --config hearth.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "error: cargo (the Rust toolchain) is required: https://rustup.rs" >&2; exit 1; }
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "error: Node.js 20+ and npm are required to build the web client (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi

# npm ci only when the installed packages do not match the lock file.
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund)
fi
(cd web && npm run build)

exec cargo run --release --bin hearth -- serve "$@"

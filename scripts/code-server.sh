#!/usr/bin/env bash
# Builds code-server 4.100.3 (VS Code 1.100.3, the newest line that runs on Node 20) into a cache
# folder outside the repository, once per version. Prints the path of entry.js as its last line.
# code-server is never a dependency of the project: its own install step cannot work offline.
set -euo pipefail

VERSION=4.100.3
CACHE="${AUTOEXP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/autoexp}"
DIR="$CACHE/code-server-$VERSION"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
MARKER="$DIR/.autoexp-ready"
DEBS=(libkrb5-dev pkg-config ripgrep chromium)

say() { echo "code-server.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

missing=()
for pkg in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || fail "apt-get could not install ${missing[*]}"
  else
    fail "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
  fi
fi
command -v rg >/dev/null || fail "ripgrep (rg) is not on PATH after installing it"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after installing chromium"

if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

say "building code-server $VERSION in $DIR (a few minutes, once)"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
[ "$(id -u)" -eq 0 ] && export npm_config_unsafe_perm=true
echo '{"name":"autoexp-code-server","private":true}' > package.json

npm install --ignore-scripts --no-save "code-server@$VERSION" >&2 || fail "npm could not fetch code-server@$VERSION"
cd node_modules/code-server
npm install --omit=dev --ignore-scripts >&2 || fail "npm install in code-server failed"
npm rebuild argon2 --build-from-source >&2 || fail "building argon2 from source failed (needs g++, make, python3)"

cd lib/vscode
npm install --omit=dev --ignore-scripts >&2 || fail "npm install in code-server/lib/vscode failed"
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm rebuild >&2 || fail "npm rebuild of VS Code's native modules failed"
ln -sfn node_modules node_modules.asar
ln -sfn code-linux.sh bin/remote-cli/code-server
ln -sfn browser-linux.sh bin/helpers/browser.sh
(cd extensions && npm install --omit=dev >&2) || fail "npm install of VS Code's built-in extensions failed"

# The first start may print a line about its config file before the version.
version=$(node "$ENTRY" --version 2>&1 | grep -m 1 "^$VERSION" || true)
[ -n "$version" ] || fail "the build does not run: entry.js --version does not print $VERSION"

# node-pty is what the integrated terminal needs: a build that lacks it is not ready.
find . -path '*node-pty*' -name '*.node' | grep -q . || fail "node-pty's native module was not built"
touch "$MARKER"
say "ready: $version"
echo "$ENTRY"

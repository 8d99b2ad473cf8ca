#!/usr/bin/env bash
# Make sure the tools the browser and validator tests need are on this machine:
#   - Debian's chromium at /usr/bin/chromium (Playwright's own browser download is not
#     reachable from our machines, so Playwright drives the Debian package);
#   - java, which runs the Nu HTML Checker (vnu.jar);
#   - node + npm, and the pinned npm tools in tests/tools/node_modules
#     (axe-core, vnu-jar, staticrypt, ical.js; versions in package-lock.json).
#
# Idempotent and fast (well under 2 s) when everything is already there: it only looks
# at files and versions and installs nothing then. Installs what it can when run as
# root (apt-get), otherwise prints exactly what to install and exits 1.
#
# Usage: bash tests/tools/ensure.sh        (make test runs it before pytest)
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHROMIUM=/usr/bin/chromium
# How long to wait for another apt/dpkg run (for instance a chromium install started by
# someone else on this machine) before giving up.
LOCK_WAIT_SECONDS="${ENSURE_LOCK_WAIT_SECONDS:-900}"

missing=()
apt_updated=0

say() { printf 'ensure.sh: %s\n' "$*" >&2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# True while some apt or dpkg process runs. We look at processes rather than at the
# lock files because dpkg uses fcntl locks that flock(1) cannot see, and fuser is not
# always installed.
apt_busy() {
    pgrep -x 'apt-get|apt|dpkg|aptitude|unattended-upgr|unattended-upgrade' >/dev/null 2>&1
}

wait_for_apt() {
    local waited=0
    if apt_busy; then
        say "another apt/dpkg run is in progress; waiting for it (up to ${LOCK_WAIT_SECONDS}s)"
    fi
    while apt_busy; do
        if [ "$waited" -ge "$LOCK_WAIT_SECONDS" ]; then
            say "apt/dpkg still busy after ${LOCK_WAIT_SECONDS}s; try again later"
            exit 1
        fi
        sleep 2
        waited=$((waited + 2))
    done
}

# Install Debian packages as root. DPkg::Lock::Timeout covers the race where another
# apt run grabs the lock between our wait and our own install.
apt_install() {
    wait_for_apt
    if [ "$apt_updated" -eq 0 ]; then
        apt-get -o DPkg::Lock::Timeout="$LOCK_WAIT_SECONDS" update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$LOCK_WAIT_SECONDS" \
        install -y -qq --no-install-recommends "$@"
}

# A package counts as present only when dpkg has finished configuring it: the
# executable can exist while an install by another process is still unpacking.
deb_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

# ---- chromium -------------------------------------------------------------------
chromium_ok() {
    [ -x "$CHROMIUM" ] && { ! command -v dpkg-query >/dev/null || deb_installed chromium; }
}

if ! chromium_ok; then
    # Someone else may be installing it right now; their run may be all we need.
    if apt_busy; then
        wait_for_apt
    fi
fi
if ! chromium_ok; then
    if is_root; then
        say "installing Debian's chromium (apt-get install chromium)"
        apt_install chromium
    else
        missing+=("chromium: sudo apt-get update && sudo apt-get install -y chromium")
    fi
fi
if [ -x "$CHROMIUM" ] || is_root; then
    chromium_ok || missing+=("chromium: $CHROMIUM is still missing after apt-get install chromium")
fi

# ---- java (runs vnu.jar) ----------------------------------------------------------
java_major() {
    # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15 (on stderr).
    java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1
}

if ! command -v java >/dev/null 2>&1 || ! java -version >/dev/null 2>&1; then
    if is_root; then
        say "installing java (apt-get install default-jre-headless)"
        apt_install default-jre-headless
    else
        missing+=("java: sudo apt-get update && sudo apt-get install -y default-jre-headless")
    fi
fi
if command -v java >/dev/null 2>&1; then
    major="$(java_major)"
    # The Nu HTML Checker needs Java 11 or later.
    if [ -n "$major" ] && [ "$major" -lt 11 ]; then
        missing+=("java: found Java $major, vnu.jar needs 11 or later (apt-get install default-jre-headless)")
    fi
elif is_root; then
    missing+=("java: still missing after apt-get install default-jre-headless")
fi

# ---- node / npm and the pinned npm tools -----------------------------------------
have_node=1
if ! command -v node >/dev/null 2>&1; then
    missing+=("node: install Node.js 18 or later (Debian: apt-get install -y nodejs)")
    have_node=0
fi
if ! command -v npm >/dev/null 2>&1; then
    missing+=("npm: install npm (Debian: apt-get install -y npm)")
    have_node=0
fi

# Files that prove the install is complete; checked besides the timestamp so that a
# half-finished or hand-edited node_modules is reinstalled too.
needed_files=(
    "node_modules/axe-core/axe.min.js"
    "node_modules/vnu-jar/build/dist/vnu.jar"
    "node_modules/.bin/staticrypt"
    "node_modules/ical.js/package.json"
)

npm_tools_ok() {
    local stamp="$TOOLS_DIR/node_modules/.package-lock.json"
    [ -f "$stamp" ] || return 1
    # npm rewrites node_modules/.package-lock.json on every install, so it is the
    # install's timestamp.
    [ "$TOOLS_DIR/package-lock.json" -nt "$stamp" ] && return 1
    local f
    for f in "${needed_files[@]}"; do
        [ -e "$TOOLS_DIR/$f" ] || return 1
    done
    return 0
}

if [ "$have_node" -eq 1 ] && ! npm_tools_ok; then
    say "installing pinned test tools (npm ci in tests/tools)"
    # --ignore-scripts: none of our tools needs an install script, and vnu-jar's
    # postinstall would try to download a Java runtime from outside the registry,
    # which is not reachable here (we use the system java instead).
    (cd "$TOOLS_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
    npm_tools_ok || missing+=("npm tools: npm ci in $TOOLS_DIR did not produce ${needed_files[*]}")
fi

# The web editor's local backend (decap-server), pinned in foreningssajt/cli/decap_server/package-lock.json;
# `make editor` installs it the same way (foreningssajt/cli/editor.py). The editor tests drive it.
EDITOR_DIR="$(cd "$TOOLS_DIR/../../foreningssajt/cli/decap_server" && pwd)"
editor_ok() {
    local stamp="$EDITOR_DIR/node_modules/.package-lock.json"
    [ -f "$stamp" ] && [ ! "$EDITOR_DIR/package-lock.json" -nt "$stamp" ] &&
        [ -f "$EDITOR_DIR/node_modules/decap-server/dist/index.js" ]
}
if [ "$have_node" -eq 1 ] && ! editor_ok; then
    say "installing the web editor's local backend (npm ci in foreningssajt/cli/decap_server)"
    (cd "$EDITOR_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
    editor_ok || missing+=("decap-server: npm ci in $EDITOR_DIR did not install it")
fi

if [ "${#missing[@]}" -gt 0 ]; then
    say "missing test tools:"
    for m in "${missing[@]}"; do
        printf '  - %s\n' "$m" >&2
    done
    exit 1
fi

#!/usr/bin/env bash
# riskdesk developer entry point: installs what is needed, then runs one job.
#
#   bash scripts/dev.sh demo   # assess the bundled demo inventory, write its PDF and Excel,
#                              # open the desktop application when there is a display
#   bash scripts/dev.sh test   # lint, types, import contracts and the whole test suite
#
# Installs into ./.venv (Python ≥ 3.11) with pinned versions from constraints.txt. On Debian or
# Ubuntu it also installs the few system libraries Qt needs to run offscreen (and, for `test`,
# poppler-utils to inspect PDFs, LibreOffice to prove the Excel and Word outputs open and
# PostgreSQL for the team-mode tests, which start their own throw-away server); it uses apt-get
# as root or through sudo, and carries on with a warning where neither is possible.
set -euo pipefail
cd "$(dirname "$0")/.."

job="${1:-demo}"
shift || true
VENV="${RISKDESK_VENV:-.venv}"
PY="${PYTHON:-python3}"

QT_LIBS="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3"
TEST_TOOLS="poppler-utils postgresql"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      say "warning: cannot install ${missing[*]} (not root, no sudo); Qt or some tests may not run"
      return 0
    fi
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >/dev/null || say "warning: apt-get update failed"
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || say "warning: apt-get install failed for ${missing[*]}"
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtual environment $VENV"
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
      apt_install python3-venv
      rm -rf "$VENV"
      "$PY" -m venv "$VENV"
    fi
  fi
  local stamp="$VENV/.riskdesk-installed"
  local want
  want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)-$1"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python packages (pinned by constraints.txt)"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    local extra=""
    [ "$1" = "dev" ] && extra="[dev]"
    "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".${extra}"
    echo "$want" > "$stamp"
  fi
}

case "$job" in
  demo)
    apt_install $QT_LIBS
    ensure_venv run
    exec "$VENV/bin/riskdesk" demo "$@"
    ;;
  test)
    apt_install $QT_LIBS $TEST_TOOLS
    if [ "${RISKDESK_SKIP_LIBREOFFICE:-0}" != "1" ]; then apt_install libreoffice-calc-nogui libreoffice-writer-nogui; fi
    ensure_venv dev
    export QT_QPA_PLATFORM=offscreen
    say "ruff"
    "$VENV/bin/ruff" check riskdesk tests benchmarks
    say "mypy (strict on the headless core)"
    "$VENV/bin/mypy" riskdesk
    say "import contracts (no Qt outside riskdesk/gui; layers)"
    "$VENV/bin/lint-imports"
    say "pytest"
    "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test [args…]" >&2
    exit 2
    ;;
esac

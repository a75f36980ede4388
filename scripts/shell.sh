#!/usr/bin/env bash
# Chat in the terminal: starts the action server it needs (127.0.0.1,
# AMMA_ACTION_PORT, default 5055), then `rasa shell`. Questions with buttons
# show a menu. Type /stop to leave; the action server stops with it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST="${AMMA_HOST:-127.0.0.1}"
ACTION_PORT="${AMMA_ACTION_PORT:-5055}"
ensure_venv
ensure_model

export AMMA_ACTION_SERVER_URL="http://$HOST:$ACTION_PORT/webhook"
ENDPOINTS="$ROOT/.rasa/endpoints-shell.yml"
write_endpoints "$ENDPOINTS" "$AMMA_ACTION_SERVER_URL"

cd "$ROOT"
say "Starting the action server on port $ACTION_PORT (log: logs/actions.log)"
SANIC_HOST="$HOST" "$VENV/bin/rasa" run actions --actions actions -p "$ACTION_PORT" >"$LOGS/actions.log" 2>&1 &
ACTIONS_PID=$!
trap 'kill "$ACTIONS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('http://$HOST:$ACTION_PORT/health', timeout=1)" 2>/dev/null && break
  kill -0 "$ACTIONS_PID" 2>/dev/null || { echo "The action server stopped; see logs/actions.log" >&2; tail -n 20 "$LOGS/actions.log" >&2; exit 1; }
  sleep 1
done

say "Loading the assistant (about a minute). Type /stop to quit."
"$VENV/bin/rasa" shell -m "$MODEL" --endpoints "$ENDPOINTS" 2>>"$LOGS/shell.log"

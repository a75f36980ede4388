#!/usr/bin/env bash
# The main command: set everything up, train if needed, start the action
# server and chat with Amma in this terminal. Safe to re-run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
ensure_model

ACTION_PORT="${AMMA_ACTION_PORT:-5055}"
say "Starting the action server on port $ACTION_PORT and point diagrams on 5056 (logs: logs/)"
"$VENV/bin/rasa" run actions --actions actions -p "$ACTION_PORT" >"$LOGS/actions.log" 2>&1 &
ACTIONS_PID=$!
"$VENV/bin/python" -m web.diagram_server --port 5056 >"$LOGS/diagrams.log" 2>&1 &
DIAGRAMS_PID=$!
trap 'kill "$ACTIONS_PID" "$DIAGRAMS_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('http://localhost:$ACTION_PORT/health', timeout=1)" 2>/dev/null && break
  kill -0 "$ACTIONS_PID" 2>/dev/null || { echo "The action server stopped; see logs/actions.log" >&2; tail -n 20 "$LOGS/actions.log" >&2; exit 1; }
  sleep 1
done

say "Loading the assistant (about a minute). Type /stop to quit."
cd "$ROOT"
"$VENV/bin/rasa" shell -m "$MODEL" --endpoints endpoints.yml 2>>"$LOGS/shell.log"

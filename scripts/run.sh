#!/usr/bin/env bash
# The main command: set everything up, train if needed, start the action server,
# the Rasa server (socket.io for the page, REST for other clients) and the web
# server (chat page and point diagrams), then print the one URL to open.
# Safe to re-run; Ctrl+C stops everything it started.
#
# Every server listens on 127.0.0.1 only (AMMA_HOST changes that). Ports:
# AMMA_WEB_PORT (8080), AMMA_RASA_PORT (5005), AMMA_ACTION_PORT (5055).
# The Rasa server runs without --enable-api: the page needs only the channels.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST="$AMMA_HOST"          # lib.sh's defaults
WEB_PORT="$AMMA_WEB_PORT"
RASA_PORT="${AMMA_RASA_PORT:-5005}"
ACTION_PORT="${AMMA_ACTION_PORT:-5055}"
PAGE="http://$HOST:$WEB_PORT"

for port in "$WEB_PORT" "$RASA_PORT" "$ACTION_PORT"; do
  if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
    echo "Port $port on $HOST is already in use (another 'make run'?). Stop it, or pick other ports:" >&2
    echo "  AMMA_WEB_PORT=8081 AMMA_RASA_PORT=5006 AMMA_ACTION_PORT=5056 make run" >&2
    exit 1
  fi
done

ensure_venv
ensure_model
ensure_web_assets

# The action endpoint follows AMMA_ACTION_PORT: the Rasa server's safety net
# checks this address, and a copy of endpoints.yml points at it.
export AMMA_ACTION_SERVER_URL="http://$HOST:$ACTION_PORT/webhook"
# Diagram links in the bot's answers point at this web server.
export AMMA_DIAGRAM_URL="$PAGE/points"
ENDPOINTS="$ROOT/.rasa/endpoints-run.yml"
write_endpoints "$ENDPOINTS" "$AMMA_ACTION_SERVER_URL"

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Only the chat page may call the Rasa server from a browser: --cors for HTTP,
# channels/socketio.py reads the same AMMA_CORS_ORIGINS for sockets (lib.sh).
read -r -a ORIGINS <<<"$AMMA_CORS_ORIGINS"

cd "$ROOT"
say "Starting the action server, the Rasa server and the web chat (logs: logs/actions.log, logs/rasa.log, logs/web.log)"
# rasa_sdk 3.6 reads its listening address from SANIC_HOST.
SANIC_HOST="$HOST" "$VENV/bin/rasa" run actions --actions actions -p "$ACTION_PORT" >"$LOGS/actions.log" 2>&1 &
PIDS+=($!)
"$VENV/bin/rasa" run -m "$MODEL" -i "$HOST" -p "$RASA_PORT" \
  --cors "${ORIGINS[@]}" \
  --credentials credentials.yml --endpoints "$ENDPOINTS" >"$LOGS/rasa.log" 2>&1 &
PIDS+=($!)
"$VENV/bin/python" -m web.server --host "$HOST" --port "$WEB_PORT" --rasa-url "http://$HOST:$RASA_PORT" \
  >"$LOGS/web.log" 2>&1 &
PIDS+=($!)

# wait_for NAME URL LOG: until URL answers, or fail with the log's tail if its process died.
wait_for() {
  local name="$1" url="$2" logfile="$3" pid
  for _ in $(seq 1 300); do
    "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('$url', timeout=2)" 2>/dev/null && return 0
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "The $name stopped; last lines of $logfile:" >&2; tail -n 20 "$logfile" >&2; exit 1; }
    done
    sleep 1
  done
  echo "The $name did not start within 5 minutes; see $logfile" >&2
  exit 1
}
wait_for "web server" "$PAGE/config.json" "$LOGS/web.log"
wait_for "action server" "http://$HOST:$ACTION_PORT/health" "$LOGS/actions.log"
say "Loading the assistant (about a minute)"
wait_for "Rasa server" "http://$HOST:$RASA_PORT/webhooks/socketio/" "$LOGS/rasa.log"

say "Amma is ready: open $PAGE in your browser (Ctrl+C stops it)"
echo "    REST clients: curl -s $HOST:$RASA_PORT/webhooks/rest/webhook -d '{\"sender\": \"me\", \"message\": \"hi\"}'"
echo "    Terminal chat instead: make shell"
# Stay up while all three run; if one stops, say which and stop the rest.
while true; do
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A server stopped unexpectedly; see logs/actions.log, logs/rasa.log and logs/web.log" >&2
      exit 1
    fi
  done
  sleep 2
done

#!/usr/bin/env bash
# `make server`: the Rasa server with its HTTP API (conversations, model,
# parse) and the REST and socket.io channels. The API reads and writes health
# data, so it never starts open: it needs AMMA_API_TOKEN (clients send
# ?token=...) or AMMA_JWT_SECRET (clients send "Authorization: Bearer <JWT>").
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_api_auth
ensure_venv
ensure_model
cd "$ROOT"
RASA_PORT="${AMMA_RASA_PORT:-5005}"
# Only the chat page's origin may call the server from a browser (lib.sh).
read -r -a origins <<<"$AMMA_CORS_ORIGINS"
say "Rasa server with the HTTP API on http://$AMMA_HOST:$RASA_PORT (token required; CORS: ${origins[*]})"
exec "$VENV/bin/rasa" run -m "$MODEL" --enable-api "${API_AUTH[@]}" -i "$AMMA_HOST" -p "$RASA_PORT" \
  --cors "${origins[@]}" --endpoints endpoints.yml --credentials credentials.yml

#!/usr/bin/env bash
# `make scale-out`: two Rasa servers on a shared PostgreSQL tracker store and a
# Redis lock store, two action servers, nginx in front (ops/scale_out.py).
# Needs AMMA_API_TOKEN (or AMMA_JWT_SECRET); AMMA_DATABASE_URL and
# AMMA_REDIS_URL default to the local PostgreSQL database `test` and Redis.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_api_auth
ensure_venv
ensure_debian_package nginx nginx-light
ensure_model
cd "$ROOT"
exec "$VENV/bin/python" -m ops.scale_out

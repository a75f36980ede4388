#!/usr/bin/env bash
# Train the model if the training data or config changed (no-op otherwise).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
ensure_model

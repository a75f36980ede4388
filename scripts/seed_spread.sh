#!/usr/bin/env bash
# How much the model-dependent figures move between trainings: for each seed,
# a fresh clone of HEAD with config.yml's random_seed replaced trains its own
# model and runs the model's tests; the figures each printed are collected in
# logs/seed-spread.txt. Usage: bash scripts/seed_spread.sh [SEED...] (default 7 11 23).
# Each seed takes 6 to 14 minutes on 2 cores, by the machine. The browser tests are left out (they
# measure no model figure and need the web build).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv

SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(7 11 23)
REPORT="$LOGS/seed-spread.txt"
: >"$REPORT"
for seed in "${SEEDS[@]}"; do
  work="$(mktemp -d)"
  git -C "$ROOT" clone -q "$ROOT" "$work/amma"
  sed -i "s/random_seed: [0-9]*/random_seed: $seed/" "$work/amma/config.yml"
  ln -s "$VENV" "$work/amma/.venv"
  say "seed $seed: training and running the model's tests in $work/amma (log: $LOGS/seed-$seed.log)"
  (cd "$work/amma" && "$VENV/bin/python" -m pytest -m rasa -s -q -p no:cacheprovider --ignore=tests/web) >"$LOGS/seed-$seed.log" 2>&1 || true
  {
    echo "seed $seed"
    grep -hE "intent macro F1|FAQ response-selector F1|classifier alone|blind red-flag set|unseen symptom phrasings|unseen FAQ questions|near-misses read as period pain|period pain read right|uncovered complaints, of|uncovered body parts, of|covered body parts, of|passed|failed" \
      "$LOGS/seed-$seed.log" | cut -c1-160 | sed "s/^/  /"
  } >>"$REPORT"
  rm -rf "$work"
done
cat "$REPORT"

# The two commands a newcomer needs:
#   make run    set up, train if needed, start every server and serve the web chat
#   make test   set up and run every test
# The rest are for day-to-day work.
.PHONY: run test train validate actions web server shell nlu-quality nlu-crossval bench scale-out forget-older-than lock clean

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

train:            ## retrain only if data or config changed
	@bash scripts/train.sh

validate:         ## check training data consistency
	@bash -c 'source scripts/lib.sh && ensure_venv && cd "$$ROOT" && .venv/bin/rasa data validate --fail-on-warnings'

actions:          ## action server in the foreground
	@bash -c 'source scripts/lib.sh && ensure_venv && .venv/bin/rasa run actions --actions actions'

web:              ## the chat page and point diagrams on :8080 (AMMA_WEB_PORT), for a Rasa server on :5005
	@bash -c 'source scripts/lib.sh && ensure_venv && ensure_web_assets && .venv/bin/python -m web.server'

nlu-quality:      ## intent and FAQ macro F1 on the held-out phrasings in tests/data
	@bash -c 'source scripts/lib.sh && ensure_venv && ensure_model && .venv/bin/python scripts/nlu_quality.py'

nlu-crossval:     ## the same figures from Rasa's 3-fold cross-validation on data/ (trains 3 NLU models)
	@bash -c 'source scripts/lib.sh && ensure_venv && .venv/bin/python scripts/nlu_quality.py --cross-validation'

server:           ## Rasa server + HTTP API on 127.0.0.1:5005; needs AMMA_API_TOKEN or AMMA_JWT_SECRET
	@bash scripts/serve.sh

shell:            ## chat in the terminal (starts the action server it needs)
	@bash scripts/shell.sh

bench:            ## Amma against Rasa's starter bot in one run: latency, throughput, memory (results/bench.json)
	@bash -c 'source scripts/lib.sh && ensure_venv && ensure_debian_package nginx nginx-light; ensure_model && .venv/bin/python -m ops.bench'

scale-out:        ## nginx + 2 Rasa servers (PostgreSQL, Redis lock store) + 2 action servers on :8000
	@bash scripts/scale_out.sh

forget-older-than: ## delete conversations with no message in the last DAYS days: make forget-older-than DAYS=30
	@bash -c '[ -n "$(DAYS)" ] || { echo "Say how many days to keep: make forget-older-than DAYS=30" >&2; exit 2; }; source scripts/lib.sh && ensure_venv && .venv/bin/python scripts/forget_older_than.py --days "$(DAYS)"'

lock:             ## rebuild constraints.txt from requirements.txt in a scratch venv
	@bash scripts/lock.sh

clean:
	rm -rf models .rasa results logs

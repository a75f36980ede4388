"""What a person reads first, for each message of a red-flag set, from running
servers: escalated (an emergency or crisis reply), checked (the red-flag check
question, which carries the contacts) or neither. For the blind sets in
tests/data that have no end-to-end gate of their own (red_flag_blind_set_3.yml to _8.yml,
body_part_red_flag_blind_set.yml, which has no crises):
measurement only, never tuning.

    .venv/bin/python scripts/red_flag_blind_report.py URL [SET.yml ...]

URL is a Rasa server with the REST channel (make run, or make server); each
message goes to a new conversation.
"""

from __future__ import annotations

import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from amma.red_flags import get_red_flag_rules  # noqa: E402
from amma.wording import first_sentence  # noqa: E402
from ops.probe import reply_texts  # noqa: E402

DEFAULT_SETS = (
    *(f"tests/data/red_flag_blind_set_{n}.yml" for n in (3, 4, 5, 6, 7, 8)),
    "tests/data/body_part_red_flag_blind_set.yml",
)
DANGER = ("emergency", "crisis")


def verdicts(url: str, texts: list[str]) -> list[str]:
    kinds = get_red_flag_rules().kinds.values()
    escalated = [first_sentence(k.opening) for k in kinds]
    checked = [first_sentence(k.check) for k in kinds]

    def verdict(text: str) -> str:
        reply = " ".join(reply_texts(url, "blind-" + uuid.uuid4().hex, text))
        if any(sign in reply for sign in escalated):
            return "escalated"
        return "checked" if any(sign in reply for sign in checked) else "neither"

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(verdict, texts))


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    url, sets = sys.argv[1], sys.argv[2:] or DEFAULT_SETS
    for path in sets:
        data = yaml.safe_load((ROOT / path).read_text())
        danger = [t for kind in DANGER for t in data.get(kind, [])]
        found = verdicts(url, danger)
        benign = verdicts(url, data["benign"])
        reached = sum(v != "neither" for v in found)
        print(
            f"{path}: contacts in the first reply {reached} of {len(danger)} ({reached / len(danger):.1%}; "
            f"{found.count('escalated')} escalated, {found.count('checked')} checked); near-misses "
            f"{benign.count('escalated')} of {len(benign)} escalated, {benign.count('checked')} asked to confirm"
        )


if __name__ == "__main__":
    main()

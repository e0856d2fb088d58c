"""Is a party mention charged with work? A small averaged perceptron over the rules' signals
and the mention's context, trained on gold/dev (`scripts/train_party_mentions.py`), decides
per mention where the rules are unsure; one feature function serves training and running,
so that the two cannot drift apart (GROBID's feature provider)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from . import startup

MODEL_FILE = "party_mentions.json"


@dataclass(frozen=True)
class MentionContext:
    before: str  # up to 6 characters before the mention, in its span
    after: str  # up to 6 characters after it
    name: str
    kind: str
    span_kind: str  # measure | schedule | section:<role> | title
    listed: bool  # in a leadership list (组长：…)
    recipient: bool  # the rules read it as the object (对青年教师…)
    charged: bool  # the rules read it as charged
    repeats: int = 1  # how often the plan names it
    known: bool = True  # a lexicon name (False: recognised by its form)


def features(c: MentionContext) -> list[str]:
    f = [f"name={c.name}", f"kind={c.kind}", f"span={c.span_kind}", f"listed={c.listed}",
         f"recipient={c.recipient}", f"charged={c.charged}", f"kind+charged={c.kind}{c.charged}",
         f"span+kind={c.span_kind}|{c.kind}", f"len={min(len(c.name), 6)}",
         f"repeats={min(c.repeats, 5)}", f"kind+repeats={c.kind}{min(c.repeats, 5)}",
         f"known={c.known}", f"known+charged={c.known}{c.charged}", f"known+kind={c.known}{c.kind}"]
    for n in (1, 2, 3):
        f.append(f"b{n}={c.before[-n:]}")
        f.append(f"a{n}={c.after[:n]}")
    f.append(f"b1a1={c.before[-1:]}|{c.after[:1]}")
    f.append(f"name+a1={c.name}|{c.after[:1]}")
    f.append(f"name+b1={c.name}|{c.before[-1:]}")
    return f


class Perceptron:
    def __init__(self, weights: dict[str, float] | None = None, bias: float = 0.0) -> None:
        self.w = weights or {}
        self.bias = bias

    def score(self, feats: list[str]) -> float:
        return self.bias + sum(self.w.get(x, 0.0) for x in feats)

    @classmethod
    def train(cls, data: list[tuple[list[str], bool]], epochs: int = 12) -> Perceptron:
        """Averaged perceptron, examples in a fixed order (deterministic)."""
        w: dict[str, float] = {}
        total: dict[str, float] = {}
        stamp: dict[str, int] = {}
        bias = bias_total = 0.0
        bias_stamp = 0
        t = 0
        for _ in range(epochs):
            for feats, label in data:
                t += 1
                y = 1.0 if label else -1.0
                if y * (bias + sum(w.get(x, 0.0) for x in feats)) <= 0:
                    for x in feats:
                        total[x] = total.get(x, 0.0) + (t - stamp.get(x, 0)) * w.get(x, 0.0)
                        stamp[x] = t
                        w[x] = w.get(x, 0.0) + y
                    bias_total += (t - bias_stamp) * bias
                    bias_stamp = t
                    bias += y
        for x in w:
            total[x] = total.get(x, 0.0) + (t - stamp.get(x, 0)) * w[x]
        bias_total += (t - bias_stamp) * bias
        avg = {x: round(v / t, 4) for x, v in total.items() if abs(v / t) >= 1e-4}
        return cls(avg, round(bias_total / t, 4))

    def to_json(self) -> str:
        return json.dumps({"bias": self.bias, "weights": dict(sorted(self.w.items()))}, ensure_ascii=False)


@lru_cache(maxsize=1)
def model() -> Perceptron | None:
    """The trained model shipped with planx, or None (then the rules decide alone)."""
    try:
        raw = json.loads(startup.resource_text(MODEL_FILE))
    except FileNotFoundError:
        return None
    return Perceptron(raw["weights"], raw["bias"])

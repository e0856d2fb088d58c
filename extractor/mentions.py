"""Is a party mention charged with work? A small averaged perceptron over the rules' signals
and the mention's context, trained on gold/dev (`scripts/train_party_mentions.py`), decides
per mention where the rules are unsure; one feature function serves training and running,
so that the two cannot drift apart (GROBID's feature provider)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

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
    return [*_fixed(c.name, c.kind, c.span_kind, c.listed, c.recipient, c.charged, min(c.repeats, 5), c.known),
            *_around(c)]


def _fixed(name: str, kind: str, span_kind: str, listed: bool, recipient: bool, charged: bool, repeats: int,
           known: bool) -> list[str]:
    """The features of a mention that do not depend on the characters around it."""
    return [f"name={name}", f"kind={kind}", f"span={span_kind}", f"listed={listed}",
            f"recipient={recipient}", f"charged={charged}", f"kind+charged={kind}{charged}",
            f"span+kind={span_kind}|{kind}", f"len={min(len(name), 6)}",
            f"repeats={repeats}", f"kind+repeats={kind}{repeats}",
            f"known={known}", f"known+charged={known}{charged}", f"known+kind={known}{kind}"]


def _around(c: MentionContext) -> list[str]:
    b, a = c.before, c.after
    return [f"b1={b[-1:]}", f"a1={a[:1]}", f"b2={b[-2:]}", f"a2={a[:2]}", f"b3={b[-3:]}", f"a3={a[:3]}",
            f"b1a1={b[-1:]}|{a[:1]}", f"name+a1={c.name}|{a[:1]}", f"name+b1={c.name}|{b[-1:]}"]


# _around's templates, in its order
AROUND = {t: k for k, t in enumerate(("b1", "a1", "b2", "a2", "b3", "a3", "b1a1", "name+a1", "name+b1"))}


class Perceptron:
    def __init__(self, weights: dict[str, float] | None = None, bias: float = 0.0) -> None:
        self.w = weights or {}
        self.bias = bias
        self._fixed_sums: dict[tuple, float] = {}  # a cache of the weights, not of any document
        self._around_tables: tuple[dict[str, float], ...] | None = None

    def score(self, feats: list[str]) -> float:
        return self.bias + sum(map(self.w.get, feats, repeat(0.0, len(feats))))

    def score_context(self, c: MentionContext) -> float:
        """score(features(c)), with the sum over the features that ignore the characters around
        the mention kept per combination (a plan repeats them mention after mention)."""
        key = (c.name, c.kind, c.span_kind, c.listed, c.recipient, c.charged, min(c.repeats, 5), c.known)
        fixed = self._fixed_sums.get(key)
        if fixed is None:
            fixed = self._fixed_sums[key] = self.bias + sum(self.w.get(x, 0.0) for x in _fixed(*key))
        around = _around(c)
        return fixed + sum(map(self.w.get, around, repeat(0.0, len(around))))

    def score_mention(self, before: str, after: str, name: str, kind: str, span_kind: str, listed: bool,
                      recipient: bool, charged: bool, repeats: int, known: bool) -> float:
        """score_context of the MentionContext these fields make, without building it: the
        features around the mention are looked up per template by their values (the same
        weights, summed in the same order)."""
        key = (name, kind, span_kind, listed, recipient, charged, min(repeats, 5), known)
        fixed = self._fixed_sums.get(key)
        if fixed is None:
            fixed = self._fixed_sums[key] = self.bias + sum(self.w.get(x, 0.0) for x in _fixed(*key))
        t = self._around_tables
        if t is None:
            t = self._around_tables = self._tables()
        b1, a1 = before[-1:], after[:1]
        return fixed + (t[0].get(b1, 0.0) + t[1].get(a1, 0.0) + t[2].get(before[-2:], 0.0)
                        + t[3].get(after[:2], 0.0) + t[4].get(before[-3:], 0.0) + t[5].get(after[:3], 0.0)
                        + t[6].get(f"{b1}|{a1}", 0.0) + t[7].get(f"{name}|{a1}", 0.0)
                        + t[8].get(f"{name}|{b1}", 0.0))

    def _tables(self) -> tuple[dict[str, float], ...]:
        """The weights of _around's templates, one table per template keyed by what follows
        its `name=` (a table derived from the model, not from any document)."""
        tables: tuple[dict[str, float], ...] = tuple({} for _ in AROUND)
        for x, weight in self.w.items():
            template, sep, value = x.partition("=")
            k = AROUND.get(template)
            if sep and k is not None:
                tables[k][value] = weight
        return tables

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

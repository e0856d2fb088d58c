"""A character-level BERT that tags PARTY / TIME / TARGET spans (transformers + torch).

No pretrained weights exist offline, so the model is built from a small config, its
tokenizer is one token per character (built with `tokenizers`, so offsets are exact), it is
pretrained as a masked LM on the corpus text and then fine-tuned on silver labels from the
rules plus the gold schedule times of gold/dev. At load time it is quantised to int8
(dynamic quantisation of the linear layers: faster on this CPU; bf16 is not).

Optional: `pip install planx[transformer]`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..doc import Doc
from . import available, model_path

LABELS = ["O", "B-PARTY", "I-PARTY", "B-TIME", "I-TIME", "B-TARGET", "I-TARGET"]
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MAX_LEN = 256  # characters per window (plus [CLS] and [SEP])
STRIDE = 192


@dataclass
class TaggerConfig:
    hidden: int = 128
    layers: int = 2
    heads: int = 4
    intermediate: int = 256
    max_chars: int = MAX_LEN


def build_tokenizer(texts: list[str], min_count: int = 2, max_vocab: int = 6000):
    """One token per character: a WordLevel vocabulary over single characters, split so
    that every character (spaces and line breaks included) is its own token."""
    from collections import Counter

    from tokenizers import Regex, Tokenizer, models, pre_tokenizers, processors

    counts = Counter(ch for t in texts for ch in t)
    chars = [c for c, n in counts.most_common(max_vocab) if n >= min_count and c not in "\n"]
    vocab = {tok: k for k, tok in enumerate(SPECIALS)}
    for c in sorted(chars):
        vocab.setdefault(c, len(vocab))
    vocab.setdefault("\n", len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    return tok


def encode(tok, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    enc = tok.encode(text)
    return enc.ids, enc.offsets


def bert_config(vocab_size: int, cfg: TaggerConfig, num_labels: int | None = None):
    from transformers import BertConfig

    kw = {"num_labels": num_labels} if num_labels else {}
    return BertConfig(vocab_size=vocab_size, hidden_size=cfg.hidden, num_hidden_layers=cfg.layers,
                      num_attention_heads=cfg.heads, intermediate_size=cfg.intermediate,
                      max_position_embeddings=cfg.max_chars + 2, type_vocab_size=1, pad_token_id=0, **kw)


def windows(n: int, size: int = MAX_LEN, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Overlapping character windows covering [0, n)."""
    if n <= size:
        return [(0, n)]
    out, a = [], 0
    while True:
        b = min(n, a + size)
        out.append((a, b))
        if b == n:
            return out
        a += stride


# ---- inference ------------------------------------------------------------------------------
class Tagger:
    def __init__(self, folder: Path) -> None:
        import torch
        from tokenizers import Tokenizer
        from transformers import BertForTokenClassification

        torch.set_num_threads(1)  # one per worker process; the engines parallelise across files
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        model = BertForTokenClassification.from_pretrained(str(folder))
        model.eval()
        self.model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.labels = json.loads((folder / "labels.json").read_text())
        self.torch = torch

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, PARTY|TIME|TARGET) found in a (normalised) text."""
        torch = self.torch
        best: dict[int, tuple[float, str]] = {}  # char -> (score, label) from the most central window
        for a, b in windows(len(text)):
            ids, offsets = encode(self.tok, text[a:b])
            with torch.no_grad():
                logits = self.model(input_ids=torch.tensor([ids])).logits[0]
            probs = logits.softmax(-1)
            centre = (a + b) / 2
            for k, (x, y) in enumerate(offsets):
                if y <= x:
                    continue  # [CLS], [SEP]
                pos = a + x
                weight = -abs(pos - centre)
                if pos not in best or weight > best[pos][0]:
                    best[pos] = (weight, self.labels[int(probs[k].argmax())])
        out: list[tuple[int, int, str]] = []
        cur: tuple[int, str] | None = None
        for pos in range(len(text) + 1):
            label = best.get(pos, (0, "O"))[1] if pos < len(text) else "O"
            kind = label[2:] if label != "O" else None
            if cur and (label == "O" or label.startswith("B-") or kind != cur[1]):
                out.append((cur[0], pos, cur[1]))
                cur = None
            if kind and (label.startswith("B-") or cur is None):
                cur = (pos, kind)
        return out


@lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    if not available("tagger"):
        raise FileNotFoundError(f"the tagger is not in {model_path('tagger')} (run scripts/train.py)")
    return Tagger(model_path("tagger"))


def add_tagged_parties(doc: Doc) -> Doc:
    """Party mentions the tagger finds in the plan's measures and the rules did not: added
    when their name canonicalises to a party and the mention is charged with work."""
    from ..parties import Mention, canonical_name
    from ..tagging import _charged

    tagger = load_tagger()
    norm = doc.norm
    for plan in doc.plans:
        known = {(a, b) for e in plan.parties.values() for a, b in e["mentions"]}
        for k, it in enumerate(plan.items):
            if it.kind != "measure":
                continue
            for a, b, kind in tagger.spans(norm[it.start:it.end]):
                if kind != "PARTY":
                    continue
                a, b = a + it.start, b + it.start
                if any(x < b and a < y for x, y in known) or not 2 <= b - a <= 12:
                    continue
                found = canonical_name(norm[a:b])
                if found is None:
                    continue
                m = Mention(a, b, *found)
                if not _charged(norm, m, it.start, it.end):
                    continue
                entry = plan.parties.setdefault(m.name, {"kind": m.kind, "mentions": []})
                entry["mentions"].append((a, b))
                entry["mentions"].sort()
                names = plan.item_parties.setdefault(k, [])
                if m.name not in names:
                    names.append(m.name)
    return doc

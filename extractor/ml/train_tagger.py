"""Training of the character tagger (see tagger.py): masked-LM pretraining on the corpus text,
then token classification on silver spans from the rules (parties, times, targets) and the
gold schedule times of gold/dev. Deterministic (fixed seeds, one thread)."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

from ..normalise import normalise
from ..parties import find_parties
from ..read import read_path
from ..targets import find_targets
from ..timex import find_times
from . import MODELS_DIR
from .data import gold_docs, unlabelled_paths
from .tagger import LABELS, MAX_LEN, TaggerConfig, bert_config, build_tokenizer, encode, windows


def _texts(paths: list[Path]) -> list[str]:
    return [normalise(read_path(p).text) for p in paths]


def _silver_labels(text: str) -> list[str]:
    tags = ["O"] * len(text)

    def put(a: int, b: int, kind: str) -> None:
        if any(t != "O" for t in tags[a:b]):
            return
        tags[a] = f"B-{kind}"
        for i in range(a + 1, b):
            tags[i] = f"I-{kind}"

    for t in find_times(text):
        put(*t.source_span, "TIME")
    for m in find_parties(text, 0, len(text)):
        put(m.start, m.end, "PARTY")
    for t in find_targets(text, 0, len(text)):
        put(*t.source_span, "TARGET")
    return tags


def _examples(tok, texts: list[list[str] | str], labelled: list[list[str]] | None):
    out = []
    for k, text in enumerate(texts):
        for a, b in windows(len(text), MAX_LEN, MAX_LEN):
            ids, offsets = encode(tok, text[a:b])
            if labelled is None:
                out.append((ids, None))
                continue
            labs = [LABELS.index(labelled[k][a + x]) if y > x else -100 for x, y in offsets]
            out.append((ids, labs))
    return out


def _batches(rows: list, size: int, rng: random.Random):
    rows = rows[:]
    rng.shuffle(rows)
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _pad(seqs: list[list[int]], value: int) -> list[list[int]]:
    n = max(len(s) for s in seqs)
    return [s + [value] * (n - len(s)) for s in seqs]


def train_tagger(quick: bool, seed: int) -> None:
    import torch
    from transformers import BertForMaskedLM, BertForTokenClassification

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    dev = gold_docs("dev")
    dev_paths = [g.source for g in dev]
    unlabelled = unlabelled_paths()
    texts = _texts(dev_paths + unlabelled)  # gold/test documents are never read here
    tok = build_tokenizer(texts)
    cfg = TaggerConfig()
    vocab = tok.get_vocab_size()
    mask_id = tok.token_to_id("[MASK]")

    # 1. masked-LM pretraining on the corpus text
    mlm = BertForMaskedLM(bert_config(vocab, cfg))
    opt = torch.optim.AdamW(mlm.parameters(), lr=1e-3)
    rows = _examples(tok, texts, None)
    mlm.train()
    steps = 0
    for _ in range(2 if quick else 12):
        for batch in _batches(rows, 32, rng):
            ids = torch.tensor(_pad([r[0] for r in batch], 0))
            labels = ids.clone()
            prob = torch.rand(ids.shape)
            special = ids < 5
            masked = (prob < 0.15) & ~special
            labels[~masked] = -100
            inputs = ids.clone()
            inputs[masked & (prob < 0.12)] = mask_id
            loss = mlm(input_ids=inputs, attention_mask=(ids != 0).long(), labels=labels).loss
            loss.backward()
            opt.step()
            opt.zero_grad()
            steps += 1
    mlm_loss = float(loss)

    # 2. token classification on silver spans + gold times
    labelled_texts, labelled_tags = [], []
    for g in dev:
        norm = normalise(g.text)
        tags = _silver_labels(norm)
        for p in g.plans:
            for s in p.schedule:
                if s.when:
                    a, b = s.when
                    tags[a:b] = ["B-TIME"] + ["I-TIME"] * (b - a - 1)
        labelled_texts.append(norm)
        labelled_tags.append(tags)
    for text in _texts(unlabelled):
        labelled_texts.append(text)
        labelled_tags.append(_silver_labels(text))
    model = BertForTokenClassification(bert_config(vocab, cfg, len(LABELS)))
    model.bert.load_state_dict(mlm.bert.state_dict(), strict=False)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    rows = _examples(tok, labelled_texts, labelled_tags)
    # Most characters are outside every span: weigh "O" down so that the spans are learnt.
    weight = torch.tensor([0.2] + [1.0] * (len(LABELS) - 1))
    model.train()
    for _ in range(2 if quick else 10):
        for batch in _batches(rows, 32, rng):
            ids = torch.tensor(_pad([r[0] for r in batch], 0))
            labels = torch.tensor(_pad([r[1] for r in batch], -100))
            logits = model(input_ids=ids, attention_mask=(ids != 0).long()).logits
            loss = torch.nn.functional.cross_entropy(logits.view(-1, len(LABELS)), labels.view(-1), weight=weight,
                                                     ignore_index=-100)
            loss.backward()
            opt.step()
            opt.zero_grad()

    folder = MODELS_DIR / "tagger"
    if folder.exists():
        shutil.rmtree(folder)
    model.eval()
    model.save_pretrained(folder)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "labels.json").write_text(json.dumps(LABELS))
    scores = evaluate_tagger(folder)
    size = sum(f.stat().st_size for f in folder.glob("*")) / 2**20
    (folder / "MODEL_CARD.md").write_text(
        "# tagger: PARTY / TIME / TARGET spans, character by character\n\n"
        "A BERT built from a small config (2 layers, hidden 128, 4 heads, intermediate 256; no pretrained "
        "weights exist offline), one token per character (a `tokenizers` WordLevel vocabulary of the "
        f"{vocab} characters of the corpus, so offsets are exact), pretrained as a masked LM on the corpus text "
        f"({steps} steps, final loss {mlm_loss:.2f}), then fine-tuned to tag BIO spans. Loaded in int8 "
        "(dynamic quantisation of the linear layers).\n\n"
        f"- **Version**: 1 (planx 0.1.0), trained by `scripts/train.py` (seed {seed}) in "
        f"{time.perf_counter() - t0:.0f} s on 2 CPU cores\n"
        "- **Training data**: the text of gold/dev and of the corpus documents without gold; labels are the "
        "rules' spans (silver: find_parties, find_times, find_targets) with the gold schedule times of gold/dev "
        "over them. gold/test is never read.\n"
        f"- **Labels**: {', '.join(LABELS)}\n- **Size**: {size:.1f} MB (float32 on disk)\n\n"
        "## Scores on gold/test documents (never trained on)\n\n"
        f"```json\n{json.dumps(scores, indent=1)}\n```\n\n"
        "`time_recall_gold` is the share of gold schedule `when` spans the tagger marks as TIME (overlap ≥ half); "
        "the `agreement_*` figures compare its spans with the rules' spans on the same documents.\n",
        encoding="utf-8")
    print("tagger:", json.dumps(scores))


def evaluate_tagger(folder: Path) -> dict:
    from .tagger import Tagger

    tagger = Tagger(folder)
    gold_times = found = 0
    agree = {"PARTY": [0, 0, 0], "TIME": [0, 0, 0], "TARGET": [0, 0, 0]}  # tp, fp, fn vs the rules
    chars = 0
    t = time.perf_counter()
    for g in gold_docs("test"):
        norm = normalise(g.text)
        chars += len(norm)
        spans = tagger.spans(norm)
        times = [(a, b) for a, b, k in spans if k == "TIME"]
        for p in g.plans:
            for s in p.schedule:
                if s.when:
                    gold_times += 1
                    a, b = s.when
                    found += any(min(b, y) - max(a, x) >= (b - a) / 2 for x, y in times)
        rules = {(a, b, k) for a, b, k in _spans_of(_silver_labels(norm))}
        mine = set(spans)
        for kind, c in agree.items():
            r = {x for x in rules if x[2] == kind}
            m = {x for x in mine if x[2] == kind}
            c[0] += len(r & m)
            c[1] += len(m - r)
            c[2] += len(r - m)
    seconds = time.perf_counter() - t
    out = {"time_recall_gold": round(found / max(gold_times, 1), 3), "gold_times": gold_times,
           "chars_per_s_int8_one_thread": round(chars / seconds)}
    for kind, (tp, fp, fn) in agree.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[f"agreement_{kind}_f1"] = round(2 * p * r / (p + r), 3) if p + r else 0.0
    return out


def _spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    out, cur = [], None
    for i, t in enumerate([*tags, "O"]):
        if cur and (t == "O" or t.startswith("B-")):
            out.append((cur[0], i, cur[1]))
            cur = None
        if t.startswith("B-"):
            cur = (i, t[2:])
    return out

"""Evaluation against hand-made gold: loading and checking gold, scoring, baselines."""

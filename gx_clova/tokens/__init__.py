"""``gx-clova tokens``: what a dataset costs in tokens, and which rows do not fit the model.

- :mod:`.count` — messages per row, counted by CLOVA Studio's tokenizer API (batched, rate
  limited, cached by content hash) or, without an API key, an offline estimate;
- :mod:`.plan` — per-row tokens → total × epochs, distribution, rows over the window, cost;
- :mod:`.cli` — the subcommand.
"""

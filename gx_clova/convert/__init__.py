"""``gx-clova convert``: OpenAI chat, ShareGPT or Alpaca JSONL → a CLOVA Studio dataset.

- :mod:`.formats` — one record → a conversation, or the reason it cannot be one;
- :mod:`.run` — the file: format detection, output and rejects written atomically, the summary;
- :mod:`.cli` — the subcommand.
"""

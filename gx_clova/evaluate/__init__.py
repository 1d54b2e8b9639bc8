"""``gx-clova evaluate``: run a held-out test set through the tuned task and base models, score
the answers, and validate the scores with Great Expectations (the ``evaluation`` suite).

The layers, from the wire up:

- :mod:`~gx_clova.evaluate.messages`: each test row as the messages training showed the model;
- :mod:`~gx_clova.evaluate.limits`: requests/tokens per minute per model (data), a pacing limiter;
- :mod:`~gx_clova.evaluate.client`: Chat Completions v3 on the submitter's HTTP, auth and back-off;
- :mod:`~gx_clova.evaluate.cache`: an append-only answer cache, so a resumed run is never billed twice;
- :mod:`~gx_clova.evaluate.engine`: the bounded-concurrency run over rows × targets;
- :mod:`~gx_clova.evaluate.scoring`: normalisation, accuracy, per-class P/R/F1, confusion matrix,
  McNemar's exact test, chrF;
- :mod:`~gx_clova.gx.evaluate.expectations` and :mod:`~gx_clova.gx.evaluate.suite`: the scores as a GX
  validation; :mod:`~gx_clova.gx.evaluate.docs`: its Data Docs page;
- :mod:`~gx_clova.cli.evaluate`: the command.
"""

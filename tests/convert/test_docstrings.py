"""The examples in the docstrings of convert, tokens and the tuning-parameter modules run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["gx_clova.convert.formats", "gx_clova.tokens.count", "gx_clova.tokens.plan",
           "gx_clova.submitter.models", "gx_clova.submitter.params"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0

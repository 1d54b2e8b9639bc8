"""gx-clova's expectation classes, by the import path the README documents (``gx_clova.expectations.ExpectClova…``).

They live in :mod:`gx_clova.gx.expectations`; importing this module imports Great Expectations and
registers them (and their metrics) with it.
"""

from gx_clova.gx.expectations import *  # noqa: F403 - the documented names
from gx_clova.gx.expectations import __all__  # noqa: F401

"""``SafeFilesystemStoreBackend``: GX's filesystem store backend that never follows a link and
never leaves half a page.

GX's :class:`TupleFilesystemStoreBackend` opens each target with ``open(path, "wb")``: a symlink
planted in the site folder is written through (its target overwritten), and a run killed
mid-write leaves a truncated page. This backend writes each file to a temporary file beside it
and renames it into place (:func:`gx_clova.outputs.atomic`), and refuses a target, or a folder
on the way to it, that is a symlink. gx-clova's Data Docs site and the results kept beside it
use it (``module_name: gx_clova.docs.backend``).
"""

from __future__ import annotations

import os
from typing import Any

from great_expectations.data_context.store.tuple_store_backend import TupleFilesystemStoreBackend

from gx_clova.outputs import OutputError, atomic


class SafeFilesystemStoreBackend(TupleFilesystemStoreBackend):
    def _set(self, key: Any, value: Any, **kwargs: Any) -> str:
        if not isinstance(key, tuple):
            key = key.to_tuple()
        relative = self._convert_key_to_filepath(key)
        filepath = os.path.join(self.full_base_directory, relative)
        walked = self.full_base_directory
        for part in os.path.normpath(relative).split(os.sep):
            walked = os.path.join(walked, part)
            if os.path.islink(walked):
                raise OutputError(walked, "it is a symlink; gx-clova does not write through links")
        with atomic(filepath) as handle:
            handle.write(value.encode("utf-8") if isinstance(value, str) else value)
        return filepath

"""The GX half of ``gx-clova evaluate``: the scores as a GX validation (:mod:`.expectations`,
:mod:`.suite`) and its Data Docs page (:mod:`.docs`)."""

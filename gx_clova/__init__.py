"""gx-clova: prove a HyperCLOVA X tuning dataset meets the CLOVA Studio spec before it is uploaded."""

__version__ = "0.1.0"

"""The rules' Spark twins, one module per rule family of :mod:`gx_clova.rules` (and the profile):
the same findings from a Spark DataFrame, bringing only failing rows (and, for label rules, one
row per distinct label) to the driver. :mod:`._common` holds what they share. The registry names
them through :mod:`gx_clova.spark.kernels`; pyspark is imported here and nowhere outside
``gx_clova/spark/``.
"""

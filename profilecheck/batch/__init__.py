"""Many files: folder walks, batch scans with worker processes or Dask, the result cache."""

"""The store: Parquet tables, their schemas, the home and config, and every write of the person's records."""

"""Exports (CSV, JSON Lines, Parquet, streamed) and the analytics page's figures."""

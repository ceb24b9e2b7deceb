"""The release ledger beside each source: digests, note dates, retired items."""

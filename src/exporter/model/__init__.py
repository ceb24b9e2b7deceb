"""The typed guide every exporter reads: the model, its field types and the inline markup."""

"""Reading a guide: the file, YAML with marks, schema messages, cross-field rules, the source map."""

"""Exchange formats: TBX, TMX and CSV/TSV writers and readers, and the importer."""

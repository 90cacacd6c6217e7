"""Pohon Industri (issue 18 §3): the value chain of products built from what validated reports show,
merged with curated links. ``graph`` is the pure part (node identity, aggregation, disclosure, browsing),
``selectors`` reads the reports and caches, ``services`` writes curated links. docs/analisis.md."""

"""Red-flag detection: a curated lexicon, a temperature parser, the detector."""

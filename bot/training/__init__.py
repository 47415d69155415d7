"""Turning the content store into a Rasa model: the importer, the fingerprint, the trainer."""

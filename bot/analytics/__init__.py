"""Usage figures for the care team: what families asked about and how the assistant coped."""

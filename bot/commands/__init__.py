"""Core commands: each parses its own arguments and answers with plain replies."""

"""People and how they sign in: registration, passwords, tokens, privacy rights."""

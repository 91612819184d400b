"""What every context shares: bilingual errors, settings, observability and the text policy."""

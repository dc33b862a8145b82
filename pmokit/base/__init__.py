"""Layer 1, base: what every stage speaks — bilingual labels, errors, issues and their codes,
settings, the working-day calendar and the project lifecycle. Takes plain values; may import
utils only."""

"""Offline clause detector: legal-aware units, hashed TF-IDF features, linear heads (CUAD + library)."""

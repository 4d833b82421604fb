"""Evaluation: payer gold suites and the CUAD adapter with the official metric."""

"""Integrations with systems outside motcua, one package per partner."""

"""Rasa input channels with the project's security settings."""

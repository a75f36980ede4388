"""Custom actions for the Amma acupressure self-care assistant.

Each module holds one concern: knowledge_base (data loading and validation),
intensity (reading symptom strength), wording (what the user reads), and the
thin rasa_sdk Action classes in *_actions modules.
"""

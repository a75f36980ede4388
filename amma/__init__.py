"""Amma's core: what the bot knows and how it decides and words things.

Plain Python over plain values, with no Rasa imports, so the action server
(actions/), the NLU components (nlu_components/) and the diagram server (web/)
share one copy and the tests need no Rasa. Knowledge lives in knowledge/*.yml;
these modules load it, validate it and reason over it.
"""

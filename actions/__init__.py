"""The action server's custom actions: thin rasa_sdk adapters over the core in amma/.

Each *_actions module reads the tracker, asks amma, and turns the answer into
messages and events. No module here imports another one: what two of them
share lives in amma.
"""

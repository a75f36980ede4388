"""Where conversations are kept: the tracker store the Rasa server uses
(tracker_store.py, the only module here that imports Rasa), the database
setting (settings.py) and the retention clean-up (retention.py)."""

"""The load test of issue 14 §4 (locust): see docs/performance.md, "Load test (issue 14 §4)".

``locustfile.py`` runs in locust's (gevent) process and never imports Django; ``plan.py`` (who logs in
and what they open, picked from the database) and ``checks.py`` (the surge's duplicate counts) run in
ordinary Django processes started by ``run.sh`` through ``python -m bench``.
"""

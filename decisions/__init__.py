"""The domain of Accord: partners, proposals, rounds, positions, the rule, the log.

Nothing here imports Flask's request machinery; the web layer and the API call in.
"""

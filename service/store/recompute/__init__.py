"""Re-grading everyone (daily, or after a rule set is activated), in chunks.

Writes ``classification``, ``grade_change`` and ``enterprise``'s stored class: ``run``
drives the chunks (optionally in worker processes), ``chunk_io`` reads and writes one chunk
per database (driver SQL on PostgreSQL), ``work`` is the CPU half (rows in, rows out).
"""

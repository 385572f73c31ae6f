"""Keeping stored classes current within a write.

Owns ``classification`` and ``grade_change`` for single writes, and the rule-set registry
(``ruleset``, ``registry_setting``): ``regrade`` re-evaluates one enterprise and evaluates
any date (``as_of``/``known_at``), ``bulk`` re-grades the thousands a batch touched in
set-based SQL, ``dossiers`` builds the pure :class:`service.credit.dossier.Dossier` from rows.
"""

"""Which API operations the client implements, and which it leaves out on purpose.

Every operation of the service's contract (``openapi/openapi.json``) is either a client
method marked ``@operation("METHOD /path")`` or listed in LEFT_OUT with the reason; the
suite fails otherwise (tests/client/test_coverage.py), naming the operationId.
"""

from __future__ import annotations

import inspect

# "METHOD /path" -> why the client has no method for it. The portal's HTML pages are not
# part of the contract (not in the spec), so they need no entry here.
LEFT_OUT: dict[str, str] = {}


def implemented(client_class: type) -> dict[str, str]:
    """``"METHOD /path"`` -> the name of the method of ``client_class`` implementing it."""
    found: dict[str, str] = {}
    for name, member in inspect.getmembers(client_class, callable):
        for op in getattr(member, "__qcredit_operations__", ()):
            found[op] = name
    return found

# SPDX-License-Identifier: MIT
"""Prints, as one JSON object, how Debian's python3-nbformat reads every .ipynb file under the given folders.

{"PATH": {"cell_types": ["code", "markdown", ...]} or {"error": "..."}} - the independent reference that
tests/notebook/corpus_test.cpp compares judge's reader with. Exit code 3 when nbformat cannot be imported.
"""
import json
import os
import sys
import warnings

try:
    import nbformat
except ImportError:
    sys.exit(3)

result = {}
for root in sys.argv[1:]:
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".ipynb"):
                continue
            path = os.path.join(folder, name)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    nb = nbformat.read(path, as_version=4)
                result[path] = {"cell_types": [cell.get("cell_type") for cell in nb.cells]}
            except Exception as e:  # nbformat raises many kinds; any of them means "nbformat does not read it"
                result[path] = {"error": type(e).__name__ + ": " + str(e)[:200]}
json.dump(result, sys.stdout, indent=1, sort_keys=True)

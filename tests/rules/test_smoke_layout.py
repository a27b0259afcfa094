import ast
from pathlib import Path

import printbridge.orders.rules as rules_module


def test_rules_module_imports_nothing_from_django_or_the_project():
    tree = ast.parse(Path(rules_module.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert sorted(m for m in imported if m.startswith(("django", "printbridge"))) == []

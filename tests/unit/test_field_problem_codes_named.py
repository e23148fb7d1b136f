"""Every field problem the code builds names its code: a client switches on it, and a problem
left at the default would read INVALID however specific it is. The default is there for what
was recorded before codes were kept (`domain.errors.FieldProblem`), never for a check."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "schema", "server", "workflows")


def _names_of_field_problem(tree: ast.Module) -> set[str]:
    """The names a module calls `FieldProblem` by: its own, or one it imports under another."""
    names = {"FieldProblem"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.name == "FieldProblem" and a.asname}
    return names


def _builds_without_code(call: ast.Call, names: set[str]) -> bool:
    func = call.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if called not in names:
        return False
    starred = any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    )
    named = len(call.args) >= 3 or any(k.arg == "code" for k in call.keywords)
    return not (named or starred)


def unnamed_codes(root: Path = ROOT) -> list[str]:
    """Where a field problem is built without its code, as `path:line`."""
    found = []
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = _names_of_field_problem(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _builds_without_code(node, names):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_field_problem_names_its_code() -> None:
    assert unnamed_codes() == []


def test_a_field_problem_without_its_code_is_found(tmp_path: Path) -> None:
    # Given a module that builds problems with and without a code, under an alias too
    module = tmp_path / "domain" / "checks.py"
    module.parent.mkdir()
    module.write_text(
        "from domain.errors import FieldProblem as Problem, FieldProblemCode\n"
        "a = Problem('name', 'required')\n"
        "b = Problem('name', 'required', FieldProblemCode.REQUIRED)\n"
        "c = Problem('name', 'required', code=FieldProblemCode.REQUIRED)\n"
        "d = errors.FieldProblem(field='name', message='required')\n",
        encoding="utf-8",
    )
    # Then the two without one are found
    assert unnamed_codes(tmp_path) == ["domain/checks.py:2", "domain/checks.py:5"]

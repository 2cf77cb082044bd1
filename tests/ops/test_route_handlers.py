"""Each route calls one service function: no module that handles requests (a `routes` / `*_routes` module,
or any module of the web pages) builds a query, reads or writes rows through the session, or calls the
edit helpers itself. Those belong in a named function of the domain's service, which the API route and
the web page then share. Ending the transaction (`session.rollback()` after a refused form) is the
handler's business and stays allowed."""

import ast
from pathlib import Path

from gi_registry.core.settings import REPO_ROOT

PACKAGE = REPO_ROOT / "gi_registry"

# Calls on the session that read or write rows (commit/rollback end the request's transaction: allowed).
SESSION_DATA_CALLS = {
    "exec",
    "execute",
    "get",
    "scalar",
    "scalars",
    "query",
    "add",
    "add_all",
    "delete",
    "merge",
}
# Functions that build a query or write a record with its change-log rows.
DATA_FUNCTIONS = {"select", "text", "edit_record", "add_record"}

# (module path relative to gi_registry/, function name) -> why it may touch the database itself.
ALLOWED: dict[tuple[str, str], str] = {}


def _handler_modules() -> list[Path]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "web" or path.stem == "routes" or path.stem.endswith("_routes"):
            modules.append(path)
    return modules


def _called_name(call: ast.Call) -> tuple[str | None, str | None]:
    """(receiver name or None, called name) of `f(...)` or `x.f(...)`."""
    func = call.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        receiver = func.value.id if isinstance(func.value, ast.Name) else None
        return receiver, func.attr
    return None, None


def _data_access(module: Path, package: Path = PACKAGE) -> list[str]:
    found = []
    relative = str(module.relative_to(package))
    for function in ast.walk(ast.parse(module.read_text())):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if (relative, function.name) in ALLOWED:
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            receiver, name = _called_name(node)
            if (receiver == "session" and name in SESSION_DATA_CALLS) or (
                name in DATA_FUNCTIONS and receiver in (None, "edits", "sqlmodel", "sqlalchemy", "sa")
            ):
                found.append(f"{relative}:{node.lineno} {function.name}() calls {receiver or ''}.{name}()")
    return found


def test_request_handlers_leave_queries_and_edits_to_the_services() -> None:
    modules = _handler_modules()
    assert any(m.name == "routes.py" for m in modules) and any(m.parent.name == "casework" for m in modules)
    offenders = [line for module in modules for line in _data_access(module)]
    assert offenders == [], "move these into a service function:\n" + "\n".join(offenders)


def test_the_check_finds_a_handler_that_queries(tmp_path: Path) -> None:
    handler = tmp_path / "routes.py"
    handler.write_text(
        "from sqlmodel import select\n"
        "@router.get('/x')\n"
        "def read_x(session):\n"
        "    return session.exec(select(X)).all()\n"
        "def change_x(session):\n"
        "    edits.edit_record(session, x)\n"
        "    session.rollback()\n"
    )
    found = _data_access(handler, package=tmp_path)
    assert [line.split(" ", 1)[1] for line in found] == [
        "read_x() calls session.exec()",
        "read_x() calls .select()",
        "change_x() calls edits.edit_record()",
    ]

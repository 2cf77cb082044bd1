"""The README and docs/ stay true to the code: links, the layout, endpoints, commands, settings and paths.

The README is the front door (what the registry is, for whom, the two commands, the folders, where to read
on); the reference lives in docs/. These checks read the Markdown as text and compare what it names with
the app's routes, the typer commands, the Makefile, the settings and the tree, so that a moved module, a
renamed route or a new folder fails here until the page that names it says so too.
"""

import importlib
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import typer
from fastapi import FastAPI

from gi_registry.cli.app import app as cli_app
from gi_registry.core.settings import REPO_ROOT, Settings
from gi_registry.http.app import create_app

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
MARKDOWN = [README, *PAGES]
# The README is a front door, not the manual: the reference belongs in docs/.
README_MAX_BYTES = 10_000

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
# A span that is a site path, optionally after its method: `GET /api/v1/indications/{id or slug}`.
PATH_SPAN = re.compile(r"^(?:(GET|POST|PATCH|PUT|DELETE) )?(/(?:[\w.\-/]|\{[^}]*\})*)(?:[?\[].*)?$")
# A repository path written in a span: `gi_registry/geo/drawing.py`, `tests/browser/`.
REPO_PATH = re.compile(r"^(?:gi_registry|maps|tests|data|scripts|bench|docs|\.ci)(?:/[\w.\-]+)*/?$")
# A dotted name in the package: `gi_registry.geo.drawing.draw_area`, or a call `….enqueue_event(session, …)`.
DOTTED = re.compile(r"^((?:gi_registry|maps)(?:\.\w+)+)(?:\(.*)?$")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def code_spans(markdown: str) -> list[str]:
    """The inline code spans outside fenced blocks."""
    return SPAN.findall(FENCE.sub("", markdown))


def code_lines(markdown: str) -> list[str]:
    """Inline code spans, and the lines of fenced blocks (a line indented under a command continues it)."""
    lines = list(code_spans(markdown))
    for block in FENCE.findall(markdown):
        for line in block.splitlines():
            if line[:1].isspace() and lines and line.strip() and not line.strip().startswith("#"):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces become hyphens."""
    heading = re.sub(r"[`*_]{1,2}(?=\S)|(?<=\S)[`*]{1,2}", "", heading.strip()).lower()
    kept = "".join(c for c in heading if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    markdown = FENCE.sub("", text(path))
    return {slug(m) for m in re.findall(r"^#{1,6} +(.+?) *#*$", markdown, re.MULTILINE)}


def links(path: Path) -> Iterator[tuple[str, Path, str]]:
    """(link as written, target file, anchor) for every relative link of a page."""
    for target in LINK.findall(FENCE.sub("", text(path))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        yield target, (path.parent / file_part).resolve() if file_part else path, anchor


def test_readme_is_a_front_door() -> None:
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes: move reference material into docs/"
    headings = set(re.findall(r"^## +(.+)$", text(README), re.MULTILINE))
    for needed in ("Two commands", "Where to read on", "Where the data comes from", "Layout"):
        assert needed in headings, f"README.md has no '## {needed}' section"


def test_every_relative_link_points_to_a_file_and_heading_that_exist() -> None:
    broken = []
    for page in MARKDOWN:
        for written, target, anchor in links(page):
            if not target.exists():
                broken.append(f"{rel(page)}: {written} (no such file)")
            elif anchor and target.suffix == ".md" and anchor not in anchors(target):
                broken.append(f"{rel(page)}: {written} (no heading #{anchor} in {rel(target)})")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_every_docs_page_is_linked_from_the_readme_or_the_index() -> None:
    assert PAGES, "docs/ has no pages"
    linked = {target for page in (README, DOCS / "index.md") for _, target, _ in links(page)}
    orphans = [rel(page) for page in PAGES if page.name != "index.md" and page not in linked]
    assert not orphans, f"docs pages no one links to (README.md or docs/index.md): {orphans}"
    assert DOCS / "index.md" in {target for _, target, _ in links(README)}


def layout_section() -> str:
    match = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", text(README), re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Layout' section"
    return match.group(1)


def tracked_top_level_folders() -> set[str]:
    try:
        listed = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "ls-files"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked folders are unknown")
    return {line.split("/", 1)[0] + "/" for line in listed.splitlines() if "/" in line}


def python_packages() -> set[str]:
    """Every Python package under gi_registry/ and maps/ (a folder with __init__.py), as `path/`."""
    found = set()
    for root in ("gi_registry", "maps"):
        for init in (REPO_ROOT / root).rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                found.add(rel(init.parent) + "/")
    return found


def test_the_layout_names_every_folder_in_one_line_and_nothing_that_is_not_there() -> None:
    section = layout_section()
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert items, "the Layout section lists no folders"
    # One line each: a list of single lines, no wrapped continuation.
    list_lines = section[section.index(items[0]) : section.index(items[-1]) + len(items[-1])].splitlines()
    wrapped = [line for line in list_lines if line and not line.startswith("- ")]
    assert not wrapped, f"Layout entries must fit one line each: {wrapped}"

    named = {span for line in items for span in SPAN.findall(line) if span.endswith("/")}
    missing_dirs = sorted(name for name in named if not (REPO_ROOT / name).is_dir())
    assert not missing_dirs, f"the Layout names folders that do not exist: {missing_dirs}"

    expected = tracked_top_level_folders() | python_packages()
    unnamed = sorted(expected - named)
    assert not unnamed, f"folders the README's Layout does not name (one line each): {unnamed}"


def git_ignored(path: str) -> bool:
    """Made at run time (a venv, var/): git ignores it, so it need not exist in a checkout."""
    for candidate in (path, path.rstrip("/") + "/"):  # a folder pattern (`bench/.venv-*/`) needs the slash
        checked = subprocess.run(["git", "-C", str(REPO_ROOT), "check-ignore", "-q", candidate], check=False)
        if checked.returncode == 0:
            return True
    return False


def test_every_repository_path_written_in_the_docs_exists() -> None:
    missing = []
    for page in MARKDOWN:
        for span in code_spans(text(page)):
            if REPO_PATH.match(span) and not (REPO_ROOT / span).exists() and not git_ignored(span):
                missing.append(f"{rel(page)}: {span}")
    assert not missing, "paths that do not exist:\n" + "\n".join(missing)


def test_every_dotted_name_written_in_the_docs_imports() -> None:
    wrong = []
    for page in MARKDOWN:
        for span in code_spans(text(page)):
            match = DOTTED.match(span)
            if not match:
                continue
            parts = match.group(1).split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    found: object = importlib.import_module(".".join(parts[:cut]))
                except ImportError:
                    continue
                try:
                    for attribute in parts[cut:]:
                        found = getattr(found, attribute)
                except AttributeError:
                    wrong.append(f"{rel(page)}: {span}")
                break
            else:
                wrong.append(f"{rel(page)}: {span}")
    assert not wrong, "names that do not import:\n" + "\n".join(wrong)


# --- endpoints -------------------------------------------------------------------------------------------


def normalize(path: str) -> str:
    """`/api/v1/indications/{id or slug}` and `/api/v1/indications/{id_or_slug}` are the same route."""
    path = re.sub(r"\{[^}]*\}", "{}", path)
    return path.rstrip("/.") or "/"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    where = tmp_path_factory.mktemp("docs")
    settings = Settings(database_url=f"sqlite:///{where / 'docs.db'}", upload_dir=where / "uploads")
    return create_app(settings)


def routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, normalized path) of every route, pages and map documents included."""
    try:  # FastAPI ≥ 0.165 wraps included routers; this walks into them
        from fastapi.routing import iter_route_contexts

        found = list(iter_route_contexts(app.routes))
    except ImportError:
        found = list(app.routes)
    pairs = set()
    for route in found:
        path = getattr(route, "path", None)
        if path is None:
            continue
        for method in getattr(route, "methods", None) or {"GET"}:
            pairs.add((method, normalize(path)))
    return pairs


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, normalized path) of the API: the OpenAPI document."""
    return {
        (method.upper(), normalize(path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


def written_paths(markdown: str) -> set[tuple[str | None, str]]:
    """(method or None, normalized path) of every code span that is a site path."""
    written = set()
    for span in code_spans(markdown):
        for part in span.split(", ") if span.count(", ") and span.startswith(METHODS) else [span]:
            match = PATH_SPAN.match(part)
            if match and "*" not in part and not part.startswith("//"):
                written.add((match.group(1), normalize(match.group(2))))
    return written


def served(method: str | None, path: str, known: set[tuple[str, str]]) -> bool:
    """A route serves the path (an example such as `/api/v1/indications/huarong-jiecai` fills a `{}`), or,
    written without a method, the path is a namespace some route lies under (`/api/v1`)."""
    for route_method, route in known:
        if method and method != route_method:
            continue
        pattern = "/".join(
            "[^/]+" if part == "{}" else re.escape(part).replace(r"\{\}", "[^/]+")
            for part in route.split("/")
        )
        if re.fullmatch(pattern, path) or path == route:
            return True
        if not method and route.startswith(path + "/"):
            return True
    return False


def test_every_site_path_written_in_the_docs_is_a_route(app: FastAPI) -> None:
    known = routes(app)
    wrong = []
    for page in MARKDOWN:
        for method, path in written_paths(text(page)):
            if path == "/static" or path.startswith("/static/"):
                continue
            if not served(method, path, known):
                wrong.append(f"{rel(page)}: {method or ''} {path}".replace(":  ", ": "))
    assert not wrong, "paths the app does not serve:\n" + "\n".join(sorted(wrong))


def test_the_api_page_mentions_every_api_route_and_map_document(app: FastAPI) -> None:
    written = written_paths(text(DOCS / "api.md"))
    with_method = {pair for pair in written if pair[0]}
    without = {path for method, path in written if not method}
    wanted = api_routes(app) | {pair for pair in routes(app) if pair[1].startswith("/maps/")}
    unmentioned = sorted(
        f"{method} {path}"
        for method, path in wanted
        if (method, path) not in with_method and not (method == "GET" and path in without)
    )
    assert not unmentioned, "routes docs/api.md does not mention:\n" + "\n".join(unmentioned)


# --- commands, make targets, settings, promises ----------------------------------------------------------


def is_group(command: object) -> bool:
    return isinstance(getattr(command, "commands", None), dict)


def cli_commands() -> dict[str, click.Command]:
    """'serve', 'db upgrade', … → the click command."""
    root = typer.main.get_command(cli_app)
    found: dict[str, click.Command] = {}
    for name, command in root.commands.items():  # typer's groups are not click.Group: ask for .commands
        found[name] = command
        if is_group(command):
            for sub, subcommand in command.commands.items():
                found[f"{name} {sub}"] = subcommand
    return found


def test_every_command_and_option_written_in_the_docs_exists() -> None:
    commands = cli_commands()
    wrong = []
    for page in MARKDOWN:
        for line in code_lines(text(page)):
            for match in re.finditer(r"(?<![\w-])gi-registry((?: [a-z][\w-]*){1,2})([^#`;&]*)", line):
                words = match.group(1).split()
                name = words[0]
                if name not in commands:
                    wrong.append(f"{rel(page)}: gi-registry {name}")
                    continue
                command = commands[name]
                rest = match.group(1)[len(" " + name) :] + match.group(2)
                if is_group(command):
                    if len(words) < 2 or f"{name} {words[1]}" not in commands:
                        wrong.append(f"{rel(page)}: gi-registry {' '.join(words)}")
                        continue
                    command = commands[f"{name} {words[1]}"]
                    rest = match.group(2)
                options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
                for option in re.findall(r"(?<![\w-])--[a-z][\w-]*", rest.split("#")[0]):
                    if option not in options | {"--help"}:
                        wrong.append(f"{rel(page)}: gi-registry {name} … {option}")
    assert not wrong, "commands or options the CLI does not have:\n" + "\n".join(wrong)


def test_the_cli_page_names_every_command() -> None:
    page = text(DOCS / "cli.md")
    missing = [
        name
        for name, command in cli_commands().items()
        if not is_group(command) and f"gi-registry {name}" not in page
    ]
    assert not missing, f"docs/cli.md does not show: {missing}"


def test_every_make_target_written_in_the_docs_exists() -> None:
    targets = set(re.findall(r"^([\w-]+):", text(REPO_ROOT / "Makefile"), re.MULTILINE))
    wrong = [
        f"{rel(page)}: make {target}"
        for page in MARKDOWN
        for line in code_lines(text(page))
        for target in re.findall(r"(?<![\w-])make ([a-z][\w-]*)", line)
        if target not in targets
    ]
    assert not wrong, "make targets the Makefile does not have:\n" + "\n".join(wrong)


def test_every_setting_is_on_the_cli_page_and_every_gi_name_is_read_somewhere() -> None:
    settings = {f"GI_{name.upper()}" for name in Settings.model_fields}
    cli_page = text(DOCS / "cli.md")
    unnamed = sorted(name for name in settings if not re.search(rf"\b{name}\b", cli_page))
    assert not unnamed, f"settings docs/cli.md does not name: {unnamed}"

    code = "\n".join(
        text(path)
        for folder in ("gi_registry", "maps", "tests", "scripts", "bench")
        for path in (REPO_ROOT / folder).rglob("*")
        if path.suffix in {".py", ".sh"} and path.name != "test_docs.py"
    ) + text(REPO_ROOT / "Makefile")
    wrong = sorted(
        f"{rel(page)}: {name}"
        for page in MARKDOWN
        for name in set(re.findall(r"\bGI_[A-Z][A-Z0-9_]*\b", text(page)))
        if name not in settings and name not in code
    )
    assert not wrong, "GI_ names that are neither a setting nor read by the code:\n" + "\n".join(wrong)


def test_every_promise_is_backed_by_a_test() -> None:
    rows = re.findall(r"^\| (R\d+) \|([^\n]*)$", text(DOCS / "promises.md"), re.MULTILINE)
    assert rows, "docs/promises.md has no promises"
    tests_text = "\n".join(
        text(path) for path in (REPO_ROOT / "tests").rglob("*.py") if path.name != "test_docs.py"
    )
    unbacked = []
    for promise, row in rows:
        named_tests = re.findall(r"tests/[\w/]+\.py", row)
        if not re.search(rf"\b{promise}\b", tests_text) and not any(
            (REPO_ROOT / t).exists() for t in named_tests
        ):
            unbacked.append(promise)
    assert not unbacked, f"promises no test names (by its id) or the row does not point to: {unbacked}"
    assert len({promise for promise, _ in rows}) == len(rows), "a promise is listed twice"

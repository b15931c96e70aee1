"""Dependencies point one way (STYLE.md, "Layers"): drawn here from every module's imports.

The imports are read with `ast`, so those inside functions count too; an import hidden in a function
to dodge a cycle is still a cycle. Migrations are left out: they are frozen history.
"""

import ast
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "greenjobs",
    "notifications",
    "accounts",
    "agencies",
    "programs",
    "incentives",
    "training",
    "monitoring",
    "measurement",
    "search",
    "guide",
)

CORE = "core"
COMPOSITION_ROOT = "composition root"
# The project package's wiring, which may import anything. `greenjobs/__init__.py` belongs here: it
# loads the Celery app, as Django's Celery setup asks.
COMPOSITION_MODULES = (
    "greenjobs",
    "greenjobs.settings",
    "greenjobs.urls",
    "greenjobs.api_urls",
    "greenjobs.celery",
    "greenjobs.wsgi",
    "greenjobs.asgi",
    "greenjobs.management",
)
# Lower rank, lower layer. A module may import its own app or an app of a strictly lower rank, so two
# apps of one rank (training, incentives) may not import each other.
# The notification centre sits just above the core: every app that records an event writes its
# notification in the same transaction, so all of them import it, and it imports none of them (they
# register their kinds of notification with it instead).
RANKS = {
    CORE: 0,
    "notifications": 1,
    "accounts": 2,
    "agencies": 3,
    "programs": 4,
    "training": 5,
    "incentives": 5,
    # After the money is paid: reads loans (incentives) and the registry; measured by measurement.
    "monitoring": 6,
    "measurement": 7,
    "search": 7,
    "guide": 7,
    COMPOSITION_ROOT: 8,
}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool
    commented: bool


def app_of(module: str) -> str:
    for root in COMPOSITION_MODULES:
        if module == root or (module.startswith(root + ".") and root != "greenjobs"):
            return COMPOSITION_ROOT
    top = module.split(".")[0]
    return CORE if top == "greenjobs" else top


def read_sources(root: Path = ROOT) -> dict[str, tuple[bool, str]]:
    """Module name -> (is a package, source) for every non-migration module of the project's apps."""
    sources = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            sources[name] = (is_package, path.read_text(encoding="utf-8"))
    return sources


def read_imports(sources: dict[str, tuple[bool, str]]) -> list[Import]:
    """Every import between the given modules; `from pkg import mod` is an import of `pkg.mod`."""
    imports = []
    for module, (is_package, source) in sources.items():
        lines = source.splitlines()
        for node, in_function in _import_nodes(_parse(source)):
            commented = _has_comment(lines, node.lineno)
            for target in _targets(node, module, is_package, sources):
                imports.append(Import(module, target, node.lineno, in_function, commented))
    return imports


def _parse(source: str) -> ast.AST:
    """ast.parse, or the same tree parsed by a fresh interpreter when this one refuses with SystemError.

    CPython 3.11.7 keeps the AST builder's recursion count in interpreter-wide state (gh-106905, fixed in
    later releases): a parse in another thread of the test process, or one that failed earlier, can
    leave it off, and a correct file is then refused with "AST constructor recursion depth mismatch".
    """
    try:
        return ast.parse(source)
    except SystemError:
        parser = "import ast, pickle, sys; sys.stdout.buffer.write(pickle.dumps(ast.parse(sys.stdin.read())))"
        done = subprocess.run(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", parser], input=source.encode(), capture_output=True, check=True, timeout=60
        )
        return pickle.loads(done.stdout)  # noqa: S301 (written by the line above)


def _import_nodes(tree: ast.AST, in_function: bool = False):
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, in_function
        nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _import_nodes(child, nested)


def _has_comment(lines: list[str], lineno: int) -> bool:
    line = lines[lineno - 1]
    previous = lines[lineno - 2].strip() if lineno >= 2 else ""
    return "# " in line or previous.startswith("# ")


def _targets(node, module: str, is_package: bool, sources) -> list[str]:
    if isinstance(node, ast.Import):
        found = (_known(alias.name, sources) for alias in node.names)
        return [target for target in found if target]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    targets = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        target = submodule if submodule in sources else _known(base, sources)
        if target:
            targets.append(target)
    return targets


def _known(name: str, sources) -> str | None:
    """The longest prefix of `name` that is one of our modules (None for a third-party import)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in sources:
            return candidate
        parts.pop()
    return None


def strongly_connected(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The cycles of a directed graph: its strongly connected components with more than one node."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(start):
        # Tarjan's algorithm without recursion: a long chain of modules must not hit the recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def app_cycles(imports: list[Import]) -> list[str]:
    edges = {(app_of(i.source), app_of(i.target)) for i in imports}
    edges = {(a, b) for a, b in edges if a != b}
    problems = []
    for cycle in strongly_connected(edges):
        members = set(cycle)
        # Only the imports that point up (or sideways) name the culprits; the downward ones are fine.
        witnesses = sorted(
            {
                f"{i.source} -> {i.target}"
                for i in imports
                if app_of(i.source) in members
                and app_of(i.target) in members
                and app_of(i.source) != app_of(i.target)
                and RANKS[app_of(i.target)] >= RANKS[app_of(i.source)]
            }
        )
        problems.append(f"apps {' <-> '.join(cycle)}: {', '.join(witnesses)}")
    return problems


def upward_imports(imports: list[Import]) -> list[str]:
    problems = []
    for i in imports:
        source, target = app_of(i.source), app_of(i.target)
        if source != target and RANKS[target] >= RANKS[source]:
            problems.append(f"{i.source}:{i.line} ({source}) imports {i.target} ({target})")
    return sorted(set(problems))


def core_imports_of_apps(imports: list[Import]) -> list[str]:
    return sorted(
        {
            f"{i.source}:{i.line} imports {i.target}"
            for i in imports
            if app_of(i.source) == CORE and app_of(i.target) not in (CORE,)
        }
    )


def module_cycles(imports: list[Import]) -> list[str]:
    edges = {
        (i.source, i.target) for i in imports if i.source != i.target and app_of(i.source) == app_of(i.target)
    }
    return [" <-> ".join(cycle) for cycle in strongly_connected(edges)]


def uncommented_function_imports(imports: list[Import]) -> list[str]:
    return sorted(
        {f"{i.source}:{i.line} imports {i.target}" for i in imports if i.in_function and not i.commented}
    )


def _fail_on(problems: list[str], what: str):
    assert not problems, f"{len(problems)} {what}:\n  " + "\n  ".join(problems)


# The project itself


def _project_imports():
    return read_imports(read_sources())


def test_no_cycle_between_apps():
    _fail_on(app_cycles(_project_imports()), "cycles between apps")


def test_imports_follow_the_layer_order():
    _fail_on(upward_imports(_project_imports()), "imports against the layer order")


def test_the_core_imports_no_app():
    _fail_on(core_imports_of_apps(_project_imports()), "imports of an app from the core")


def test_no_cycle_between_modules_of_one_app():
    _fail_on(module_cycles(_project_imports()), "cycles between modules of one app")


def test_function_level_imports_say_why():
    _fail_on(
        uncommented_function_imports(_project_imports()),
        "function-level imports without a comment saying why",
    )


# The checker, on a made-up project, so that it is known to fail when it should


SYNTHETIC = {
    "greenjobs": (True, ""),
    "greenjobs.text": (False, "import accounts.models\n"),
    "greenjobs.urls": (False, "import training.views\n"),
    "accounts": (True, ""),
    "accounts.models": (False, "from agencies.models import Agency\n"),
    "agencies": (True, ""),
    "agencies.models": (False, "from accounts import models\nimport os\n"),
    "programs": (True, ""),
    "programs.services": (True, "from . import registrations\n"),
    "programs.services.registrations": (
        False,
        "def f():\n    from ..tasks import send\n    return send\n",
    ),
    "programs.tasks": (
        False,
        "from .services.registrations import f\n\n"
        "def g():\n    # weasyprint is slow to load\n    from . import models\n",
    ),
    "programs.models": (False, "from django.db import models\n"),
    "training": (True, ""),
    "training.views": (False, "from incentives.models import Loan\nfrom programs import models\n"),
    "incentives": (True, ""),
    "incentives.models": (False, "from training import views\n"),
}


def test_checker_reads_relative_function_level_and_submodule_imports():
    imports = set(read_imports(SYNTHETIC))

    assert Import("programs.services.registrations", "programs.tasks", 2, True, False) in imports
    assert Import("programs.tasks", "programs.models", 5, True, True) in imports
    assert Import("programs.services", "programs.services.registrations", 1, False, False) in imports
    assert Import("agencies.models", "accounts.models", 1, False, False) in imports
    assert Import("training.views", "programs.models", 2, False, False) in imports
    assert not any(i.source == "programs.models" for i in imports)  # django is not ours


def test_checker_finds_every_kind_of_problem():
    imports = read_imports(SYNTHETIC)

    assert app_cycles(imports) == [
        "apps accounts <-> agencies: accounts.models -> agencies.models",
        "apps incentives <-> training: "
        "incentives.models -> training.views, training.views -> incentives.models",
    ]
    assert upward_imports(imports) == [
        "accounts.models:1 (accounts) imports agencies.models (agencies)",
        "greenjobs.text:1 (core) imports accounts.models (accounts)",
        "incentives.models:1 (incentives) imports training.views (training)",
        "training.views:1 (training) imports incentives.models (incentives)",
    ]
    assert core_imports_of_apps(imports) == ["greenjobs.text:1 imports accounts.models"]
    assert module_cycles(imports) == ["programs.services.registrations <-> programs.tasks"]
    assert uncommented_function_imports(imports) == [
        "programs.services.registrations:2 imports programs.tasks"
    ]


def test_the_composition_root_may_import_anything():
    assert app_of("greenjobs.urls") == COMPOSITION_ROOT
    assert app_of("greenjobs.settings.base") == COMPOSITION_ROOT
    assert app_of("greenjobs.management.commands.seed_demo") == COMPOSITION_ROOT
    assert app_of("greenjobs.outbox.services") == CORE
    assert app_of("greenjobs.text") == CORE

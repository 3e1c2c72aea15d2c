"""
The layers of the code: shared code (cms/) knows no app, home knows no other app, the blog and
consultations know home but not each other, webhooks listen to the blog and home, and no module
imports one that imports it back.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("cms", "home", "articles", "consultations", "webhooks", "demo")
# The project's assembly: it brings every app together, so it may import them all.
ASSEMBLY = ("cms.urls", "cms.api", "cms.wsgi", "cms.asgi", "cms.settings")
# Which apps each app may import (cms means its shared code, not the assembly).
MAY_IMPORT = {
    "cms": set(),
    "home": {"cms"},
    "articles": {"cms", "home"},
    "consultations": {"cms", "home"},
    "webhooks": {"cms", "home", "articles"},
    "demo": {"cms", "home", "articles", "consultations"},
}


def project_modules():
    """{module name: path} for every project module outside migrations."""
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imports_of(name, path, modules):
    """[(imported project module, line, inside a function other than AppConfig.ready)] of a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(), str(path))
    found = []

    def visit(node, function=None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            targets = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{alias.name}" for alias in child.names] + [base]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.append((target, child.lineno, function not in (None, "ready")))
                    break
            visit(child, function)

    visit(tree)
    return found


def import_graph():
    modules = project_modules()
    return modules, {name: imports_of(name, path, modules) for name, path in modules.items()}


def is_assembly(name):
    return name.startswith(ASSEMBLY)


def test_no_module_imports_one_that_imports_it_back():
    _modules, graph = import_graph()
    edges = {name: {target for target, _line, _late in imports} for name, imports in graph.items()}
    cycles = []
    state = {}

    def walk(name, trail):
        state[name] = "open"
        for target in sorted(edges.get(name, ())):
            if state.get(target) == "open":
                cycles.append(" → ".join(trail[trail.index(target) :] + [target]))
            elif target not in state:
                walk(target, trail + [target])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            walk(name, [name])
    assert cycles == []


def test_apps_import_only_the_layers_below_them():
    _modules, graph = import_graph()
    wrong = [
        f"{name}:{line} imports {target}"
        for name, imports in graph.items()
        if not is_assembly(name)
        for target, line, _late in imports
        if target.split(".")[0] != name.split(".")[0]
        and (target.split(".")[0] not in MAY_IMPORT[name.split(".")[0]] or is_assembly(target))
    ]
    assert wrong == []


def test_no_import_hides_inside_a_function():
    """An import inside a function to dodge a circle means the code is in the wrong place."""
    _modules, graph = import_graph()
    late = [
        f"{name}:{line} imports {target}"
        for name, imports in graph.items()
        for target, line, inside_function in imports
        if inside_function
    ]
    assert late == []


def test_the_checks_see_the_imports_they_judge(tmp_path):
    """The graph really holds the project's imports (a parser that found none would pass everything)."""
    modules, graph = import_graph()
    assert "cms.pages" in {target for target, _line, _late in graph["articles.models"]}
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from cms.pages import ascii_slug\n\ndef f():\n    from articles.models import ArticlePage\n"
    )
    assert imports_of("home.probe", probe, modules) == [("cms.pages", 1, False), ("articles.models", 4, True)]

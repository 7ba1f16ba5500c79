"""The package's folders are layers: data flows one way, and no module imports a layer above its own."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports_module():
    spec = importlib.util.spec_from_file_location("imports_picture", ROOT / "benchmarks" / "imports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_layer_imports_a_higher_one():
    """Every import in tracker/ (lazy ones too) points to the importer's layer or a lower one."""
    pictures = _imports_module()
    assert pictures.violations(pictures.import_graph()) == []


def test_no_import_cycles():
    """No two modules import each other, directly or around a circle."""
    pictures = _imports_module()
    assert pictures.cycles(pictures.import_graph()) == []


def test_every_folder_is_a_known_layer():
    """A new folder under tracker/ must be placed among the layers before it is used."""
    pictures = _imports_module()
    folders = {p.name for p in (ROOT / "tracker").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(pictures.LAYERS)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The check is real: a store module importing the CLI is reported."""
    pictures = _imports_module()
    pkg = tmp_path / "tracker"
    (pkg / "store").mkdir(parents=True)
    (pkg / "cli").mkdir()
    for init in (pkg / "__init__.py", pkg / "store" / "__init__.py", pkg / "cli" / "__init__.py"):
        init.write_text("")
    (pkg / "store" / "engine.py").write_text("def f():\n    from tracker.cli import app\n")
    graph = pictures.import_graph(pkg)
    assert pictures.violations(graph) == [("tracker.store.engine", "tracker.cli")]


def test_extract_imports_no_database_library():
    """`import tracker.extract` loads neither sqlalchemy nor sqlmodel (the extractor needs no database)."""
    code = "import sys, tracker.extract; print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""The fuzz's map of routes and parameters keeps up with the app: a new route, form or
parameter the map doesn't know fails here, so it can't go unfuzzed."""

from __future__ import annotations

import re
from pathlib import Path

import webapp
from webapp.forms import Form

from .routes import HEADERS, INPUTS, READ_EVERYWHERE, all_forms, app_routes

WEBAPP = Path(webapp.__file__).parent
_READ = re.compile(r"\b(args|form)\.(?:get|getlist)\(\s*\"([^\"]+)\"")
_HEADER = re.compile(r"request\.headers\.get\(\s*\"([^\"]+)\"")


def _sources():
    for path in sorted(WEBAPP.rglob("*.py")):
        if "sandbox" not in path.relative_to(WEBAPP).parts:  # its API is not fuzzed here
            yield path, path.read_text(encoding="utf-8")


def test_every_route_of_the_app_is_in_the_fuzz_map(app):
    routes = set(app_routes(app))
    unknown = sorted(routes - set(INPUTS))
    gone = sorted(set(INPUTS) - routes)
    assert not unknown, f"add these routes to tests/fuzz/routes.py INPUTS: {unknown}"
    assert not gone, f"these routes no longer exist; drop them from INPUTS: {gone}"


def test_every_form_of_the_app_is_fuzzed(app):  # the app imports every view module
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = {f for f in subclasses(Form) if f.__module__.startswith("webapp.")}
    missing = sorted(f"{f.__module__}.{f.__name__}" for f in forms - all_forms())
    assert not missing, f"name these forms in tests/fuzz/routes.py INPUTS: {missing}"


def test_every_parameter_the_app_reads_is_fuzzed():
    fuzzed = {name for inputs in INPUTS.values() for name in inputs.query + inputs.form}
    unread = []
    for path, source in _sources():
        for _where, name in _READ.findall(source):
            if name not in fuzzed | READ_EVERYWHERE:
                unread.append(f"{path.relative_to(WEBAPP)}: {name}")
        for name in _HEADER.findall(source):
            if name not in HEADERS:
                unread.append(f"{path.relative_to(WEBAPP)}: header {name}")
    assert not unread, f"add these to tests/fuzz/routes.py: {unread}"

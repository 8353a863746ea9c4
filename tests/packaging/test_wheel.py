"""An installed Atrium is the whole app: a wheel built from this checkout, installed into a
virtual environment of its own and started away from the sources, speaks French to a French
browser and serves a signed-in learner's dashboard with every file the page links.

The wheel is built as a release builds it (pip, with the build requirements pyproject.toml
declares) from a copy of the sources, so the checkout gets no build/ or *.egg-info and no
compiled catalog lying in translations/ can stand in for the ones the build must make.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup

from tests.deploy.servers import Server, free_port
from tests.support import ACCOUNTS

ROOT = Path(__file__).resolve().parents[2]
# What building the package reads: the project files and the two trees it ships.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "webapp", "translations")
NOT_SOURCES = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info", "build")
# Settings a developer's shell may carry that would point the app somewhere else.
_PRIVATE = ("TI_", "SANDBOX_", "REDIS_", "STATE_", "UPLOAD_", "SECRET_KEY", "EMBED_", "FLASK_",
            "PYTHON", "XDG_CACHE_HOME")  # fmt: skip
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSS_URL = re.compile(r"""url\(\s*["']?(/[^"')]+)""")


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, (
        f"{command[:4]} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )
    return done


def _copy_sources(names: tuple[str, ...], target: Path) -> Path:
    target.mkdir()
    for name in names:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=NOT_SOURCES)
        elif path.exists():
            shutil.copy2(path, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout."""
    folder = tmp_path_factory.mktemp("wheel")
    source = _copy_sources(BUILD_INPUTS, folder / "source")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
          "--wheel-dir", str(folder / "dist"), str(source)])  # fmt: skip
    (built,) = (folder / "dist").glob("atrium-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; the python to run it with.

    Only the wheel is installed into it: its dependencies come from the test's own environment
    through a .pth file, which adds that folder to the path without running its .pth files
    (so the shared editable install of the sources is not picked up)."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    purelib = sysconfig.get_path("purelib", "venv", {"base": str(home), "platbase": str(home)})
    borrowed = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(purelib, "dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", "--no-index", str(wheel)])  # fmt: skip
    where = _run([str(python), "-c", "import webapp; print(webapp.__file__)"],
                 cwd=home, env=_clean_environment())  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(home), "webapp is not the wheel's"
    return python


def _clean_environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PRIVATE)}
    return {**env, **settings}


def _package_files(python: Path, cwd: Path) -> dict[str, int]:
    """Every file of the installed webapp package and its size."""
    script = (
        "import json, pathlib, webapp; root = pathlib.Path(webapp.__file__).parent; "
        "print(json.dumps({str(p.relative_to(root)): p.stat().st_size "
        "for p in root.rglob('*') if p.is_file() and '__pycache__' not in p.parts}))"
    )
    return json.loads(_run([str(python), "-c", script], cwd=cwd, env=_clean_environment()).stdout)


@pytest.fixture(scope="module")
def server(installed, tmp_path_factory) -> Iterator[str]:
    """`flask --app webapp run` from the installed package, in a folder without the sources;
    the sandbox's database, state and uploads in that folder. Its base URL."""
    folder = tmp_path_factory.mktemp("run")
    port = free_port()
    env = _clean_environment(
        SANDBOX_DB=str(folder / "sandbox.sqlite3"),
        STATE_DB=str(folder / "state.sqlite3"),
        UPLOAD_FOLDER=str(folder / "uploads"),
        SECRET_KEY="wheel-test-secret",
    )
    command = [str(installed), "-m", "flask", "--app", "webapp", "run", "--port", str(port)]
    app = Server("the installed app", command, env, port, folder / "server.log", cwd=folder)
    try:
        app.wait_ready()
    except RuntimeError as failure:
        pytest.fail(str(failure))
    yield app.url
    app.stop()


def test_an_installed_atrium_speaks_french_and_serves_a_learners_dashboard(installed, server):
    """One test, so that parallel workers build and start the wheel once (it takes seconds)."""
    shipped = _package_files(installed, installed.parent)
    catalogs = {f"translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("fr", "de", "es", "ar")}
    assert not catalogs - set(shipped), f"the wheel lacks {sorted(catalogs - set(shipped))}"
    assert not [name for name in shipped if name.endswith(".po")], "catalogs ship compiled"

    page = requests.get(f"{server}/login", headers={"Accept-Language": "fr"}, timeout=15)
    html = BeautifulSoup(page.text, "html.parser")
    assert html.html["lang"] == "fr"
    assert html.find("button", string=re.compile("Se connecter"))
    assert "Sign in" not in html.get_text()

    with requests.Session() as browser:
        dashboard = _sign_in(browser, server, "learner2")  # Camille Martin, who reads French
        html = BeautifulSoup(dashboard.text, "html.parser")
        assert html.html["lang"] == "fr"
        assert "Camille" in html.get_text()
        assert "Reprendre votre formation" in html.get_text()
        # Templates, CSS, vendored htmx, fonts and the sandbox's images: all from the wheel.
        linked = _linked_files(browser, server, html)
        assert any("/static/vendor/htmx" in url for url in linked)
        assert any(url.split("?")[0].endswith(".woff2") for url in linked)
        assert any(url.startswith("/sandbox/assets/") for url in linked)
        broken = {}
        for url in linked:
            answer = browser.get(f"{server}{url}", timeout=15)
            if answer.status_code != 200 or not answer.content:
                broken[url] = answer.status_code
        assert not broken, f"the dashboard links files the installed app cannot serve: {broken}"


def _sign_in(browser: requests.Session, server: str, who: str) -> requests.Response:
    """Sign in through the form; the dashboard it leads to."""
    form = browser.get(f"{server}/login", timeout=15)
    email, password = ACCOUNTS[who]
    signed_in = browser.post(
        f"{server}/login",
        data={"email": email, "password": password,
              "csrf_token": _CSRF_INPUT.search(form.text).group(1)},
        allow_redirects=False, timeout=15,
    )  # fmt: skip
    assert signed_in.status_code == 303, signed_in.text[:500]
    dashboard = browser.get(f"{server}/dashboard", timeout=15)
    assert dashboard.status_code == 200
    return dashboard


def _linked_files(browser: requests.Session, server: str, html: BeautifulSoup) -> set[str]:
    """The same-site files a page links: its stylesheets and scripts, and what the CSS loads."""
    linked = [tag["href"] for tag in html.find_all("link", href=True)]
    linked += [tag["src"] for tag in html.find_all("script", src=True)]
    for stylesheet in [url for url in linked if ".css" in url]:
        linked += _CSS_URL.findall(browser.get(f"{server}{stylesheet}", timeout=15).text)
    return {url for url in linked if url.startswith("/")}


def test_a_checkout_speaks_french_without_writing_into_its_sources(tmp_path):
    """A clone run as it is (`make run`, pytest) compiles its catalogs, outside the sources."""
    checkout = _copy_sources(("webapp", "translations"), tmp_path / "checkout")

    def sources() -> dict[str, int]:
        return {str(p.relative_to(checkout)): p.stat().st_size for p in checkout.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip

    before = sources()
    script = (
        "import webapp; app = webapp.create_app(); print(webapp.__file__); "
        "print(app.test_client().get('/login', headers={'Accept-Language': 'fr'}).text)"
    )
    folder = tmp_path / "run"
    env = _clean_environment(
        PYTHONPATH=str(checkout),
        PYTHONDONTWRITEBYTECODE="1",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        SANDBOX_DB=str(folder / "sandbox.sqlite3"),
        STATE_DB=str(folder / "state.sqlite3"),
        UPLOAD_FOLDER=str(folder / "uploads"),
        SECRET_KEY="checkout-test-secret",
    )
    where, page = _run([sys.executable, "-c", script], cwd=tmp_path, env=env).stdout.split("\n", 1)
    assert Path(where).is_relative_to(checkout)
    html = BeautifulSoup(page, "html.parser")
    assert html.html["lang"] == "fr"
    assert html.find("button", string=re.compile("Se connecter"))
    assert sources() == before, "starting the app changed its sources"

"""Build hook: the package carries Atrium's compiled catalogs (everything else: pyproject.toml).

Translators and pybabel work on translations/<lang>/LC_MESSAGES/messages.po at the top of the
repository. Building the package compiles each into webapp/translations/<lang>/LC_MESSAGES/
messages.mo inside the build, never in the sources, and webapp/i18n.py reads them from there.
An editable install (a checkout) builds nothing here: the app compiles the .po files itself,
into a cache outside the sources (webapp/i18n.py).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOG_SOURCES = Path("translations")
PACKAGED_CATALOGS = Path("webapp", "translations")


class BuildPyWithCatalogs(build_py):
    """build_py, plus the catalogs compiled from translations/*.po."""

    def run(self):
        super().run()
        if not self.editable_mode:
            for po_path, mo_path in self._catalogs():
                self._compile(po_path, Path(self.build_lib, mo_path))

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return [*outputs, *(str(Path(self.build_lib, mo)) for _, mo in self._catalogs())]

    @staticmethod
    def _catalogs():
        for po_path in sorted(CATALOG_SOURCES.glob("*/LC_MESSAGES/messages.po")):
            lang = po_path.parent.parent.name
            yield po_path, PACKAGED_CATALOGS / lang / "LC_MESSAGES" / "messages.mo"

    def _compile(self, po_path: Path, mo_path: Path) -> None:
        # Babel is a build requirement (pyproject.toml); imported here so that reading the
        # project's metadata does not need it.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        self.announce(f"compiling {po_path} -> {mo_path}", level=2)
        with po_path.open("rb") as source:
            # A broken .po fails the build rather than ship a catalog that loses strings.
            catalog = read_po(source, locale=po_path.parent.parent.name, abort_invalid=True)
        problems = [
            f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors
        ]
        if problems:  # a wrong placeholder would fail the page that shows it
            raise SystemExit(f"{po_path}: {'; '.join(problems[:5])}")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as target:
            write_mo(target, catalog)


setup(cmdclass={"build_py": BuildPyWithCatalogs})

"""Compile the message catalogues (.po -> .mo) whenever the package is built or installed.

Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = Path(__file__).parent / "rides" / "translations"


def compile_catalogues() -> None:
    """Write each language's messages.mo beside its messages.po."""
    for po_path in sorted(CATALOGUES.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)


class BuildWithCatalogues(build_py):
    """build_py that compiles the catalogues first, so they ship (and work in editable mode)."""

    def run(self) -> None:
        compile_catalogues()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})

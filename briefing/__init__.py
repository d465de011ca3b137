"""briefing: bilingual participant information sheets, packs and a compendium from YAML.

Importing the package loads nothing heavy: the paged layer (WeasyPrint) and the
Word layer (python-docx) load only when a command needs them, and the version is
read from the installed metadata only when asked for. The layers: ``core``
(YAML → model → rows), ``paged`` (HTML → PDF), ``word`` (DOCX out and back),
``checks`` (QA), ``build`` (orchestration); ``cli`` on top.
"""

from functools import cache

__all__ = ["__version__"]


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("briefing")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")

"""briefing: bilingual participant information sheets, packs and a compendium from YAML.

Importing the package loads nothing heavy: the paged layer (WeasyPrint) and the
Word layer (python-docx) load only when a command needs them. The layers:
``core`` (YAML → model → rows), ``paged`` (HTML → PDF), ``word`` (DOCX out and
back), ``checks`` (QA), ``build`` (orchestration); ``cli`` on top.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefing")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]

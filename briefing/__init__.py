"""briefing: bilingual participant information sheets, packs and a compendium from YAML."""

from .build import BuildOptions, BuildReport, ProjectPaths, build
from .errors import BriefingError, DataError, Location, Problem
from .model import Project, Sheet, Unit
from .validate import LoadedProject, load_project

__version__ = "0.1.0"

__all__ = [
    "BriefingError",
    "BuildOptions",
    "BuildReport",
    "DataError",
    "LoadedProject",
    "Location",
    "Problem",
    "Project",
    "ProjectPaths",
    "Sheet",
    "Unit",
    "__version__",
    "build",
    "load_project",
]

"""WeasyPrint imported without the compiler search for its libraries, loading the same ones."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the search skipped is Linux's")

#: Prints the processes the import started and the files of WeasyPrint's libraries mapped.
IMPORT = """
import json, sys
started = []
sys.addaudithook(lambda event, args: event == "subprocess.Popen" and started.append(
    args[0] if isinstance(args[0], str) else str(args[1][0])))
{before}
import {module}
libraries = sorted({{line.split()[-1] for line in open("/proc/self/maps")
                     if any(name in line for name in ("libgobject-2.0", "libpango-1.0",
                                                      "libharfbuzz", "libfontconfig",
                                                      "libpangoft2-1.0"))}})
print(json.dumps([started, libraries]))
"""

#: cffi refusing Pango by its soname while the search is skipped: another version's name.
PANGO_UNDER_ANOTHER_NAME = """
import ctypes.util, cffi
dlopen, search = cffi.FFI.dlopen, ctypes.util.find_library
def refusing(self, name, flags=0):
    if name == "libpango-1.0.so.0" and ctypes.util.find_library is not search:
        raise OSError("cannot load library 'libpango-1.0.so.0'")
    return dlopen(self, name, flags)
cffi.FFI.dlopen = refusing
"""


def imported(module: str, before: str = "") -> tuple[list[str], list[str]]:
    """The processes started and the libraries mapped by importing ``module`` afresh."""
    result = subprocess.run([sys.executable, "-c", IMPORT.format(module=module, before=before)],
                            capture_output=True, text=True, check=True)
    started, libraries = json.loads(result.stdout.splitlines()[-1])
    return started, libraries


def test_weasyprint_loads_its_libraries_by_soname_starting_no_process() -> None:
    searched, usual = imported("weasyprint")
    started, libraries = imported("briefing.paged.weasy")
    assert searched  # the usual import runs ldconfig (and gcc where there is one)
    assert started == []
    assert libraries == usual
    assert any("libpango-1.0" in path for path in libraries)


def test_a_library_no_soname_loads_is_searched_for_the_usual_way() -> None:
    started, libraries = imported("briefing.paged.weasy", before=PANGO_UNDER_ANOTHER_NAME)
    assert any("ldconfig" in command for command in started)
    assert any("libpango-1.0" in path for path in libraries)

"""Can Qt open a window on this machine? Answered before any Qt library is loaded.

On a Linux machine without some system library, Qt fails to load its platform
plugin, prints a hint that names the wrong package and aborts the process (a
core dump). :func:`problem` finds out first, the way the dynamic linker would:
it loads the plugin file with ctypes, whose error names the first missing
library, then tries each library the plugin needs to name all of them, and a
table turns library names into the Debian/Ubuntu packages to install.

It uses the standard library only and never imports PySide6, so it also runs
before the Python packages are installed: ``python3 -m playground.qt_platform``
prints the packages still missing (``scripts/system-packages.sh`` installs them).
"""
from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

# Library (soname) -> the Debian/Ubuntu package that ships it, for what Qt's libraries link to beyond
# the C/C++ runtime that every Debian image has (readelf -d on PySide6 6.11's Qt libraries and plugins).
GUI_LIBRARIES = {  # QtGui itself, so every platform
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
PLATFORM_LIBRARIES = {
    "offscreen": GUI_LIBRARIES,
    "xcb": {
        **GUI_LIBRARIES,
        "libxcb.so.1": "libxcb1",
        "libX11-xcb.so.1": "libx11-xcb1",
        "libxcb-cursor.so.0": "libxcb-cursor0",  # needed since Qt 6.5
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-image.so.0": "libxcb-image0",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libxcb-randr.so.0": "libxcb-randr0",
        "libxcb-render.so.0": "libxcb-render0",
        "libxcb-render-util.so.0": "libxcb-render-util0",
        "libxcb-shape.so.0": "libxcb-shape0",
        "libxcb-shm.so.0": "libxcb-shm0",
        "libxcb-sync.so.1": "libxcb-sync1",
        "libxcb-util.so.1": "libxcb-util1",
        "libxcb-xfixes.so.0": "libxcb-xfixes0",
        "libxcb-xkb.so.1": "libxcb-xkb1",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    },
    "wayland": {
        **GUI_LIBRARIES,
        "libwayland-client.so.0": "libwayland-client0",
        "libwayland-cursor.so.0": "libwayland-cursor0",
    },
}
FONT_PACKAGE = "fonts-dejavu-core"  # without any font Qt draws no text at all
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
_MISSING = re.compile(r"([^\s:/]+\.so[.\d]*): cannot open shared object file")


def _load(name: str) -> None:
    """Load a shared library as Qt would (lazily bound); raises the dynamic linker's OSError."""
    ctypes.CDLL(name, mode=os.RTLD_LAZY)


def _loads(name: str) -> bool:
    try:
        _load(name)
    except OSError:
        return False
    return True


def platforms(argv: list[str] | None = None, environ=None) -> tuple[list[str], bool]:
    """The platform plugins Qt will try, in order, and whether the user named them.

    Qt's own rule: ``-platform NAME`` on the command line, else ``QT_QPA_PLATFORM`` (a ``;`` list,
    options after ``:``), else Wayland then X11 in a Wayland session and X11 otherwise.
    """
    argv, environ = argv or [], os.environ if environ is None else environ
    named = argv[argv.index("-platform") + 1] if "-platform" in argv[:-1] else environ.get("QT_QPA_PLATFORM", "")
    if named:
        return [p.split(":")[0] for p in named.split(";") if p], True
    return (["wayland", "xcb"] if environ.get("XDG_SESSION_TYPE") == "wayland" else ["xcb"]), False


def plugin_files(platform: str, environ=None) -> list[Path]:
    """The files Qt may load for ``platform``, in the order it tries them (``QT_QPA_PLATFORM_PLUGIN_PATH``,
    then PySide6's own plugins); Qt uses the first that loads."""
    environ = os.environ if environ is None else environ
    folders = [Path(environ["QT_QPA_PLATFORM_PLUGIN_PATH"])] if environ.get("QT_QPA_PLATFORM_PLUGIN_PATH") else []
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        folders.append(Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms")
    names = dict.fromkeys([f"libq{platform}.so", f"libq{platform.split('-')[0]}.so"])  # wayland-egl: libqwayland
    return [folder / name for folder in folders for name in names if (folder / name).is_file()]


def missing_libraries(platform: str, plugins: list[Path]) -> tuple[list[str], str]:
    """The libraries ``platform`` needs that do not load (none if one of ``plugins`` loads), and the
    linker's errors where they name none of them."""
    errors = []
    for plugin in plugins:
        try:
            _load(str(plugin))
            return [], ""
        except OSError as exc:
            errors.append(str(exc).rstrip("."))
    missing = [name for name in PLATFORM_LIBRARIES.get(platform, GUI_LIBRARIES) if not _loads(name)]
    for named in filter(None, map(_MISSING.search, errors)):
        if named.group(1) not in missing:
            missing.append(named.group(1))
    return missing, "" if missing else "; ".join(errors)


def _packages(libraries: list[str]) -> tuple[list[str], list[str]]:
    """Debian packages for ``libraries``, and the libraries no table entry knows."""
    table = {name: package for libs in PLATFORM_LIBRARIES.values() for name, package in libs.items()}
    packages = list(dict.fromkeys(table[name] for name in libraries if name in table))
    return packages, [name for name in libraries if name not in table]


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def problem(argv: list[str] | None = None, environ=None) -> str | None:
    """One sentence saying why Qt could not open a window here (no display, a missing library), or None."""
    if not sys.platform.startswith("linux"):
        return None
    environ = os.environ if environ is None else environ
    candidates, named = platforms(argv, environ)
    no_display = not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")
    if no_display and (not named or candidates == ["xcb"]):
        return ("There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): "
                "start Playground from a desktop session, or use its command line (python main.py --help).")
    missing, errors = [], []
    for platform in candidates:
        plugins = plugin_files(platform, environ)
        if not plugins:
            return None  # not one of PySide6's plugins: Qt has the last word
        libraries, error = missing_libraries(platform, plugins)
        if not libraries and not error:
            return None  # Qt uses the first plugin that loads
        missing += [name for name in libraries if name not in missing]
        errors += [error] if error else []
    its = "its " + _listing([f'"{p}"' for p in candidates]) + " platform plugin" + ("s" if len(candidates) > 1 else "")
    if not missing:
        return f"Qt cannot open a window: {its} failed to load ({'; '.join(errors)})."
    packages, unknown = _packages(missing)
    one = len(missing) == 1
    sentence = (f"Qt cannot open a window: {its} {'needs' if len(candidates) == 1 else 'need'} "
                f"{_listing(missing)}, which {'is' if one else 'are'} not installed")
    them = "it" if one else "them"
    if packages and not unknown and shutil.which("apt-get"):
        return f"{sentence} (sudo apt-get install {' '.join(packages)} installs {them})."
    debian = f" (on Debian/Ubuntu: {' '.join(packages)})" if packages else ""
    return f"{sentence}; install the packages that provide {them}{debian}."


def missing_packages(platforms_: list[str]) -> list[str]:
    """The Debian packages to install so that Qt's ``platforms_`` load, and a font if there is none."""
    libraries = []
    for platform in platforms_:
        libraries += [name for name in missing_libraries(platform, plugin_files(platform))[0] if name not in libraries]
    packages, _unknown = _packages(libraries)
    if not any(next(Path(folder).expanduser().rglob("*.[ot]tf"), None) for folder in FONT_FOLDERS
               if Path(folder).expanduser().is_dir()):
        packages.append(FONT_PACKAGE)
    return packages


def main(argv: list[str] | None = None) -> int:
    """``python -m playground.qt_platform [PLATFORM ...]``: print the missing packages (default xcb offscreen)."""
    names = list(sys.argv[1:] if argv is None else argv) or ["xcb", "offscreen"]
    unknown = [name for name in names if name not in PLATFORM_LIBRARIES]
    if unknown:
        print(f"playground: unknown platform {unknown[0]!r}; choose from {', '.join(PLATFORM_LIBRARIES)}.",
              file=sys.stderr)
        return 2
    print(" ".join(missing_packages(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

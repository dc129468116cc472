"""Starting the app on a fresh machine: no display, a missing system library, the icon and the desktop entry.

Qt itself aborts the process (exit 134, a core dump) when its platform plugin cannot load; the app
must say why in one sentence and exit 1 before Qt gets that far.
"""
from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from playground import qt_platform

ROOT = Path(__file__).resolve().parents[2]
NOT_FOUND = "{}: cannot open shared object file: No such file or directory"  # glibc's dlopen error


def _one_sentence(text: str) -> bool:
    """One line, one full stop at the end (dots inside library names do not count)."""
    return "\n" not in text.strip() and text.strip().endswith(".") and not re.search(r"\.\s+[A-Z]", text)


def _fake_linker(monkeypatch, missing: list[str]) -> None:
    """Libraries in ``missing`` do not load; a plugin fails on the first of them it links to, as dlopen does.

    A plugin links to its platform's table of libraries and to any library no table knows.
    """
    known = {name for libraries in qt_platform.PLATFORM_LIBRARIES.values() for name in libraries}

    def load(name: str) -> None:
        platform = re.fullmatch(r"libq(\w+)\.so", Path(name).name)
        needs = [lib for lib in missing if platform is None and lib == name or platform is not None and (
            lib in qt_platform.PLATFORM_LIBRARIES[platform.group(1)] or lib not in known)]
        if needs:
            raise OSError(NOT_FOUND.format(needs[0]))

    monkeypatch.setattr(qt_platform, "_load", load)


@pytest.fixture
def plugins(tmp_path) -> Path:
    """A plugin folder with an xcb and an offscreen plugin (their loading is faked)."""
    for name in ("libqxcb.so", "libqoffscreen.so"):
        (tmp_path / name).write_bytes(b"")
    return tmp_path


def test_missing_xcb_libraries_are_named_with_the_debian_packages_to_install(monkeypatch, plugins):
    _fake_linker(monkeypatch, ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    monkeypatch.setattr(qt_platform.shutil, "which", lambda name: f"/usr/bin/{name}")
    env = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins)}
    text = qt_platform.problem([], env)
    assert text == ('Qt cannot open a window: its "xcb" platform plugin needs libxcb-icccm.so.4 and '
                    "libxcb-keysyms.so.1, which are not installed "
                    "(sudo apt-get install libxcb-icccm4 libxcb-keysyms1 installs them).")
    assert qt_platform.problem([], {**env, "QT_QPA_PLATFORM": "offscreen"}) is None  # it needs no xcb library


def test_a_library_no_table_knows_and_a_machine_without_apt_get(monkeypatch, plugins):
    _fake_linker(monkeypatch, ["libfoo.so.3", "libxcb-cursor.so.0"])
    monkeypatch.setattr(qt_platform.shutil, "which", lambda name: None)
    text = qt_platform.problem(["-platform", "xcb"], {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins)})
    assert "libxcb-cursor.so.0 and libfoo.so.3, which are not installed" in text
    assert "install the packages that provide them (on Debian/Ubuntu: libxcb-cursor0)" in text
    assert _one_sentence(text)


def test_no_display_is_one_sentence_and_an_offscreen_run_needs_none(monkeypatch, plugins):
    _fake_linker(monkeypatch, [])
    here = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins)}
    text = qt_platform.problem([], here)
    assert text.startswith("There is no display to open the window on") and _one_sentence(text)
    assert qt_platform.problem([], {**here, "QT_QPA_PLATFORM": "offscreen"}) is None
    assert qt_platform.problem([], {**here, "WAYLAND_DISPLAY": "wayland-0"}) is None


def test_platforms_follow_qts_own_rule():
    assert qt_platform.platforms([], {}) == (["xcb"], False)
    assert qt_platform.platforms([], {"XDG_SESSION_TYPE": "wayland"}) == (["wayland", "xcb"], False)
    assert qt_platform.platforms([], {"QT_QPA_PLATFORM": "offscreen:fontengine=freetype"}) == (["offscreen"], True)
    assert qt_platform.platforms([], {"QT_QPA_PLATFORM": "wayland;xcb"}) == (["wayland", "xcb"], True)
    assert qt_platform.platforms(["x.json", "-platform", "xcb"], {"QT_QPA_PLATFORM": "offscreen"}) == (["xcb"], True)


def test_setup_scripts_are_told_the_packages_still_missing(monkeypatch, plugins, tmp_path, capsys):
    """``python3 -m playground.qt_platform [PLATFORM ...]``, which scripts/system-packages.sh installs from."""
    _fake_linker(monkeypatch, ["libxcb-icccm.so.4", "libEGL.so.1"])
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", str(plugins))
    fonts = tmp_path / "fonts"
    monkeypatch.setattr(qt_platform, "FONT_FOLDERS", (str(fonts),))
    assert qt_platform.main(["offscreen"]) == 0
    assert capsys.readouterr().out.split() == ["libegl1", "fonts-dejavu-core"]  # no font at all, either
    fonts.mkdir()
    (fonts / "DejaVuSans.ttf").write_bytes(b"")
    assert qt_platform.main([]) == 0  # xcb and offscreen
    assert capsys.readouterr().out.split() == ["libegl1", "libxcb-icccm4"]
    assert qt_platform.main(["vnc"]) == 2 and "unknown platform" in capsys.readouterr().err


def _run_main(env: dict, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``python main.py`` (or ``python ARGS``) as a user starts it, with ``env`` for the display variables."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")}
    return subprocess.run([sys.executable, *(args or ["main.py"])], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**base, "XDG_CONFIG_HOME": str(tmp_path), **env})


def _says_one_sentence_and_exits_1(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)  # Qt's abort is 134 (-6 here)
    text = result.stderr.strip()
    assert text.startswith("playground: ") and _one_sentence(text), text
    assert "Traceback" not in text and "core dumped" not in text and "Aborted" not in text
    return text


def test_the_dynamic_linker_names_what_a_plugin_lacks(tmp_path):
    """A real dlopen failure: PySide6's own xcb plugin copied away from the Qt library it links to."""
    plugins = qt_platform.plugin_files("xcb", {})
    assert plugins, "PySide6 ships the xcb plugin"
    copy = tmp_path / plugins[0].name
    shutil.copy(plugins[0], copy)  # $ORIGIN/../../lib now holds no libQt6XcbQpa.so.6
    assert "libQt6XcbQpa.so.6" in qt_platform.missing_libraries("xcb", [copy])[0]
    assert qt_platform.missing_libraries("xcb", [copy, *plugins]) == ([], "")  # Qt falls back to the next


# The machine: xcb-icccm and xcb-keysyms not installed. The loader raises what glibc's does.
MISSING_XCB_LIBRARIES = """
import runpy, sys
from playground import qt_platform

def load(name):
    for missing in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1"):
        if name == missing or name.endswith("libqxcb.so"):
            raise OSError(missing + ": cannot open shared object file: No such file or directory")

qt_platform._load = load
sys.argv = ["main.py"]
runpy.run_path("main.py", run_name="__main__")
"""


def test_missing_xcb_libraries_stop_the_app_with_one_sentence(tmp_path):
    result = _run_main({"DISPLAY": ":0"}, tmp_path, "-c", MISSING_XCB_LIBRARIES)
    text = _says_one_sentence_and_exits_1(result)
    assert "libxcb-icccm.so.4 and libxcb-keysyms.so.1" in text and "libxcb-icccm4 libxcb-keysyms1" in text


def test_no_display_stops_the_app_with_one_sentence(tmp_path):
    text = _says_one_sentence_and_exits_1(_run_main({}, tmp_path))
    assert "no display" in text


# Creates the QApplication first (as a probe would), runs the app's main() until the window is shown,
# then reports the application's icon and desktop file name.
ICON_SCRIPT = """
import os, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
os.environ["PLAYGROUND_QUIT_WHEN_SHOWN"] = "1"
from playground.ui.app import main
assert main([]) == 0
app.windowIcon().pixmap(64, 64).toImage().save(sys.argv[1])
print(app.desktopFileName())
"""


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).astype(float)


def test_the_window_icon_is_the_shipped_one_and_names_the_desktop_entry(tmp_path):
    shot = tmp_path / "icon.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", ICON_SCRIPT, str(shot)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    drawn = QImage(str(shot))
    assert not drawn.isNull() and drawn.size() == QSize(64, 64), "the app has no window icon"
    shipped = QImage(str(ROOT / "resources" / "icons" / "playground.png"))
    assert max(shipped.width(), shipped.height()) <= 128, "X11 shows no window icon over 128 px (Qt's xcb drops it)"
    shipped = shipped.scaled(64, 64, mode=Qt.TransformationMode.SmoothTransformation)
    assert np.abs(_pixels(drawn) - _pixels(shipped)).mean() < 8, "the window icon is not resources/icons/playground.png"

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "resources" / f"{result.stdout.strip()}.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "playground-gui"
    assert (ROOT / "resources" / "icons" / f"{desktop['Icon']}.svg").is_file()

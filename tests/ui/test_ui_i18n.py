"""The Chinese interface: the window opened in zh_CN, View → Language, and the shipped translation.

The translation's files must keep up with the code: every string the code marks is in the ``.ts``
with a finished translation (so a new English string without one fails here), and the committed
``.qm`` is what ``pyside6-lrelease`` makes of the ``.ts`` (so an edit of the ``.ts`` without
``scripts/update-translations.sh`` fails too).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QTableWidget, QWidget

from playground.core import catalog
from playground.plots import NetworkView
from playground.ui import i18n
from tests.ui.conftest import ScriptedDialogs
from tests.ui.test_plots_network import tooltip_at

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "playground_zh_CN.ts"
QM = ROOT / "resources" / "i18n" / "playground_zh_CN.qm"


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> the <translation> element, for every message of a .ts file."""
    root = ET.parse(ts).getroot()
    return {(context.findtext("name"), message.findtext("source")): message.find("translation")
            for context in root.iter("context") for message in context.iter("message")}


@pytest.fixture
def chinese(qapp, monkeypatch):
    """The interface language saved as zh_CN (View → Language), translators installed as at start-up."""
    monkeypatch.delenv(i18n.ENVIRONMENT, raising=False)
    i18n.save_choice("zh_CN")
    installed = i18n.install(qapp)
    yield installed
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


def _window(qtbot, dialogs=None):
    from playground.ui import MainWindow

    window = MainWindow(dialogs=dialogs or ScriptedDialogs())
    window.load_tensorflow_when_shown = False  # the texts are all there before TensorFlow is
    qtbot.addWidget(window)
    window.show()
    return window


def _form_labels(panel: QWidget, *names: str) -> list[str]:
    """The texts of the form labels beside the widgets named ``names`` in ``panel``."""
    labels = []
    for name in names:
        field = panel.findChild(QWidget, name)
        form = next(f for f in panel.findChildren(QFormLayout) if f.labelForField(field) is not None
                    or f.labelForField(field.parentWidget()) is not None)
        labels.append(form.labelForField(field).text())
    return labels


def test_the_window_opens_in_chinese_when_zh_cn_is_chosen(chinese, qtbot, _plots_configured):
    assert chinese, "no translation was installed for zh_CN"
    window = _window(qtbot)
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "编辑(&E)", "训练(&T)", "视图(&V)", "帮助(&H)"]
    assert [window.docks[k].windowTitle() for k in ("data", "model", "training")] == ["数据", "模型", "训练"]
    assert _form_labels(window.training_panel, "lossCombo", "optimizerCombo", "learningRateSpin") == [
        "损失函数", "优化器", "学习率"]
    assert window.findChild(QWidget, "trainButton").text() == "训练"
    # The catalog's names and explanations, marked in the Qt-free core, show translated; Keras names stay.
    loss = window.findChild(QComboBox, "lossCombo")
    index = loss.findData("binary_crossentropy")
    assert loss.itemText(index) == "二分类交叉熵"
    assert "from_logits=True" in loss.itemData(index, 3) and "交叉熵" in loss.itemData(index, 3)
    optimizer = window.findChild(QComboBox, "optimizerCombo")
    assert optimizer.itemText(optimizer.findData("adam")) == "Adam"
    assert i18n.catalog(catalog.TASK_NAMES["multiclass"]) == "多分类"
    language = window.findChild(QWidget, "languageMenu")
    assert [a.text() for a in language.actions()] == ["跟随系统", "English", "中文"]
    assert [a.isChecked() for a in language.actions()] == [False, False, True]
    for plot in ("loss", "accuracy"):  # the curves' legends: a header row, each entry whole
        legend = window.curves.legend_widget(plot)
        assert list(window.curves.legend(plot)) == ["训练集", "测试集"]
        assert "测试集" in legend.text() and legend.heightForWidth(legend.width()) <= legend.height()


def test_the_data_sets_the_lab_and_the_network_speak_chinese(chinese, qtbot, _plots_configured):
    """The texts marked in the Qt-free registry and lab, and the diagram's tooltips, show translated."""
    window = _window(qtbot)
    data = window.findChild(QComboBox, "datasetCombo")
    data.setCurrentIndex(data.findData("xor"))
    assert data.currentText() == "异或", "the data set list shows the English title"
    description = window.findChild(QLabel, "datasetDescription").text()
    assert description.startswith("四个象限：x1 与 x2 同号处为正类。"), f"the description reads {description!r}"
    examples = [a.text() for a in window.examples_menu.actions()]
    assert "异或" in examples and "螺旋" in examples, f"File → Open Example lists {examples}"

    table = window.findChild(QTableWidget, "labLosses")
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert "多分类交叉熵" in names and "均方误差 (MSE)" in names, f"the lab's losses read {names}"
    sparse = names.index(i18n.catalog(catalog.LOSSES["sparse_categorical_crossentropy"].name))
    # the worked example has one-hot rows of 3: sparse cross-entropy wants class indices instead
    assert table.item(sparse, 1).toolTip() == "目标需要每行一个类别索引（0 到 2）", \
        f"the lab's note reads {table.item(sparse, 1).toolTip()!r}"

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.set_architecture(["x1", "x2"], [1], ["output"])
    output, first = view.node_item(1, 0), view.node_item(0, 0)
    assert tooltip_at(view, output.sceneBoundingRect().center()) == "output 的第 1 个神经元\n偏置 尚未计算"
    assert tooltip_at(view, first.sceneBoundingRect().center()) == "输入 1：x₁"


def test_choosing_a_language_saves_it_for_the_next_start_and_says_so_in_both(qtbot, monkeypatch,
                                                                             _plots_configured):
    monkeypatch.delenv(i18n.ENVIRONMENT, raising=False)
    dialogs = ScriptedDialogs()
    window = _window(qtbot, dialogs)
    assert window.menuBar().actions()[0].text() == "&File"  # no translator: English
    actions = {a.data(): a for a in window.findChild(QWidget, "languageMenu").actions()}
    assert actions[i18n.SYSTEM].isChecked() and i18n.locale().name() == i18n.locale().system().name()
    actions["zh_CN"].trigger()
    assert i18n.saved_choice() == "zh_CN" and i18n.locale().name() == "zh_CN"
    assert dialogs.informations == ["The language changes the next time Playground starts.\n"
                                    "界面语言将在下次启动 Playground 时切换。"]
    actions["en"].trigger()
    assert i18n.saved_choice() == "en" and i18n.locale().language() == i18n.locale().Language.English
    monkeypatch.setenv(i18n.ENVIRONMENT, "zh_CN")  # the environment wins over the saved choice
    assert i18n.locale().name() == "zh_CN"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """A copy of the .ts brought up to date with the code by scripts/update-translations.sh, and its .qm."""
    assert shutil.which("pyside6-lupdate") and shutil.which("pyside6-lrelease"), "PySide6's tools are missing"
    fresh = tmp_path_factory.mktemp("i18n") / TS.name
    shutil.copy(TS, fresh)
    subprocess.run(["bash", str(ROOT / "scripts" / "update-translations.sh"), str(fresh)], check=True, timeout=120)
    return fresh


def test_every_string_the_code_marks_has_a_finished_translation(regenerated):
    committed, current = _messages(TS), _messages(regenerated)
    assert sorted(set(current) - set(committed)) == [], "strings in the code are missing from the .ts: " \
        "run scripts/update-translations.sh and translate them"
    assert sorted(set(committed) - set(current)) == [], "the .ts holds strings the code no longer has"
    unfinished = [key for key, t in current.items() if t.get("type") or not (t.text or "").strip()]
    assert unfinished == [], f"{len(unfinished)} strings have no finished translation"
    for (context, source), translation in current.items():
        for pattern in (r"\{[^}]*\}", r"<[^>]+>"):  # placeholders and markup must survive translation
            assert sorted(re.findall(pattern, source)) == sorted(re.findall(pattern, translation.text)), \
                f"{context}: {source!r} -> {translation.text!r}"
        accelerator = r"(?<!&)&(?!&)"  # "&F" marks Alt+F; "&&" is a plain ampersand
        assert len(re.findall(accelerator, source)) == len(re.findall(accelerator, translation.text)), \
            f"{context}: the accelerator of {source!r} is lost in {translation.text!r}"


def test_the_shipped_qm_is_compiled_from_the_ts(regenerated):
    assert regenerated.with_suffix(".qm").read_bytes() == QM.read_bytes(), \
        "the .qm is out of date: run scripts/update-translations.sh"

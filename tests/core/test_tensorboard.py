"""TensorBoard logging, read back as TensorBoard reads it: its own server app (runs, scalars,
histograms, HParams with their metrics) and its event accumulator, against the engine's numbers."""
import json
import re

import numpy as np
import pytest

from playground.core.engine import Engine
from playground.core.tensorboard import RunWriter, run_folder
from tests.core.experiments import xor_experiment

pytest.importorskip("tensorboard")


class TensorBoard:
    """TensorBoard's web app over ``logdir``, in this process: what ``tensorboard --logdir`` serves."""

    def __init__(self, logdir):
        import werkzeug.test
        from tensorboard import default, program
        from tensorboard.backend import application
        from tensorboard.backend.event_processing import data_ingester

        tb = program.TensorBoard(default.get_plugins())
        tb.configure(argv=[None, "--logdir", str(logdir), "--load_fast=false", "--reload_interval=0"])
        ingester = data_ingester.LocalDataIngester(tb.flags)
        ingester.start()
        self.client = werkzeug.test.Client(application.TensorBoardWSGIApp(
            tb.flags, tb.plugin_loaders, ingester.data_provider, tb.assets_zip_provider,
            ingester.deprecated_multiplexer))

    def get(self, path: str, **query):
        response = self.client.get(path, query_string=query)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        return json.loads(response.get_data())

    def runs(self) -> list[str]:
        return self.get("/data/runs")

    def scalars(self, run: str, tag: str) -> tuple[list[int], np.ndarray]:
        rows = self.get("/data/plugin/scalars/scalars", run=run, tag=tag)
        return [r[1] for r in rows], np.array([r[2] for r in rows], np.float32)

    def histograms(self, run: str, tag: str) -> dict[int, np.ndarray]:
        return {step: np.array(buckets) for _, step, buckets in
                self.get("/data/plugin/histograms/histograms", run=run, tag=tag)}

    def text(self, run: str, tag: str) -> dict[int, str]:
        return {row["step"]: row["text"] for row in self.get("/data/plugin/text/text", run=run, tag=tag)}

    def session_groups(self) -> dict[str, dict]:
        """Each run's HParams and metric values, as the HParams dashboard lists them."""
        response = self.client.post("/data/plugin/hparams/session_groups", json={
            "experimentName": "", "startIndex": 0, "sliceSize": 100, "colParams": [],
            "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]})
        assert response.status_code == 200, response.get_data(as_text=True)
        return {g["name"]: {"hparams": g["hparams"],
                            "metrics": {m["name"]["tag"]: m["value"] for m in g["metricValues"]}}
                for g in json.loads(response.get_data())["sessionGroups"]}


def buckets(summary, row: int) -> np.ndarray:
    """A history summary's histogram at ``row`` as TensorBoard's (left, right, count) rows."""
    edges = summary.edges[row].astype(np.float64)
    return np.stack([edges[:-1], edges[1:], summary.counts[row]], axis=1)


def logged_engine(exp, logdir):
    """An engine whose events go to a RunWriter of a new run folder in ``logdir``."""
    writer = []
    engine = Engine(exp, lambda event: writer[0](event))
    writer.append(RunWriter(run_folder(logdir, exp.name), engine))
    return engine, writer[0]


def test_a_run_reads_back_in_tensorboard_as_the_engine_trained_it(tmp_path):
    exp = xor_experiment(12)
    exp.model.layers[0].units, exp.model.layers[0].kernel_l2 = 5, 0.001
    exp.model.layers[1].dropout = 0.1
    engine, writer = logged_engine(exp, tmp_path)
    assert engine.run() == "finished"
    faster = exp.model_copy(deep=True)
    faster.training.learning_rate = 0.01
    engine.apply(faster)  # a live edit after epoch 12
    assert engine.run(6) == "finished"
    writer.close()

    tb = TensorBoard(tmp_path)
    [run] = tb.runs()
    assert re.fullmatch(r"xor-\d{8}-\d{6}", run), run
    for key, tag in (("loss", "loss/train"), ("test_loss", "loss/test"), ("accuracy", "accuracy/train"),
                     ("test_accuracy", "accuracy/test")):
        steps, values = tb.scalars(run, tag)
        assert steps == list(range(1, 19)), f"{tag} is not logged once per epoch"
        np.testing.assert_array_equal(values, np.float32(engine.history[key]), err_msg=f"{tag} differs from {key}")
    steps, rates = tb.scalars(run, "learning_rate")
    np.testing.assert_array_equal(rates, np.float32([0.03] * 12 + [0.01] * 6), err_msg="the learning rate by epoch")
    assert tb.text(run, "edits") == {12: "<p>lr 0.03 → 0.01</p>"}, "the live edit is not shown at its epoch"

    h = engine.weight_history
    assert list(h.epochs) == list(range(19))
    for layer in h.layers:
        for part, summary in (("kernel", layer.kernel), ("bias", layer.bias)):
            logged = tb.histograms(run, f"{layer.name}/{part}")
            assert sorted(logged) == list(range(19)), f"{layer.name}/{part} histograms are not by epoch"
            for row, epoch in enumerate(h.epochs):
                np.testing.assert_array_equal(logged[epoch], buckets(summary, row),
                                              err_msg=f"{layer.name}/{part} at epoch {epoch}")
    counts, edges = np.histogram(engine.model.get_layer("hidden_1").kernel.numpy(), bins=30)
    last = tb.histograms(run, "hidden_1/kernel")[18]
    np.testing.assert_array_equal(last[:, 2], counts, err_msg="the last histogram is not the weights' own")
    np.testing.assert_array_equal(last[:, 0], edges[:-1].astype(np.float32))

    group = tb.session_groups()[run]
    assert group["hparams"] == {
        "dataset": "xor", "features": "x1,x2", "hidden_layers": 2, "units": "5-8", "activation": "tanh",
        "output_activation": "sigmoid", "loss": "binary_crossentropy", "optimizer": "adam",
        "learning_rate": 0.03, "schedule": "constant", "batch_size": 10, "kernel_l1": "0",
        "kernel_l2": "0.001-0", "bias_l1": "0", "bias_l2": "0", "dropout": "0-0.1", "normalize": False, "seed": 0}
    final = {tag: np.float32(engine.history[key][-1]) for key, tag in (
        ("loss", "loss/train"), ("test_loss", "loss/test"), ("accuracy", "accuracy/train"),
        ("test_accuracy", "accuracy/test"))}
    assert {k: np.float32(v) for k, v in group["metrics"].items() if k in final} == final, \
        "the HParams metrics are not the final figures"


def test_a_schedule_logs_its_learning_rate_at_each_epochs_last_step(tmp_path):
    import keras

    exp = xor_experiment(4, schedule="exponential", decay_steps=7, decay_rate=0.5)
    engine, writer = logged_engine(exp, tmp_path)
    engine.run()
    writer.close()
    tb = TensorBoard(tmp_path)
    [run] = tb.runs()
    steps, rates = tb.scalars(run, "learning_rate")
    last_steps = np.arange(1, 5) * engine.batches_per_epoch - 1
    expected = keras.optimizers.schedules.ExponentialDecay(0.03, 7, 0.5)(last_steps.astype(np.float32))
    assert engine.batches_per_epoch == 10
    np.testing.assert_allclose(rates, np.asarray(expected, np.float32), rtol=1e-6,
                               err_msg="the learning rate is not the schedule's at each epoch's last step")


def test_runs_get_their_own_folders_named_by_experiment_and_time(tmp_path):
    first, second = run_folder(tmp_path, "two moons/α"), run_folder(tmp_path, "two moons/α")
    assert re.fullmatch(r"two_moons-\d{8}-\d{6}", first.name), first.name
    assert second != first and second.name.startswith("two_moons-") and first.is_dir() and second.is_dir()


def logged_steps(folder) -> dict[str, list[int]]:
    """Every step each tag was written at, in file order, from the run folder's raw event files."""
    import tensorflow as tf

    steps: dict[str, list[int]] = {}
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                steps.setdefault(value.tag, []).append(event.step)
    return steps


def test_a_session_logs_each_model_as_a_run_and_a_model_undo_takes_back_goes_on_in_its_own(tmp_path):
    from playground.core.session import Session
    from playground.core.tensorboard import TensorBoardLog
    from playground.data import load_dataset

    listeners = []
    session = Session(lambda event: listeners[0](event))
    log = TensorBoardLog(tmp_path / "logs", session)
    listeners.append(log)
    exp = xor_experiment(3)
    dataset = load_dataset(**exp.dataset.model_dump())
    session.edit(exp, dataset)
    session.run(3)
    first = session.engine
    wider = exp.model_copy(deep=True)
    wider.model.layers[0].units = 4
    session.edit(wider, dataset)  # a new model: a second run
    session.run(2)
    session.edit(exp, dataset)  # Undo takes the first model back: its run goes on
    assert session.engine is first
    session.run(5)
    test_loss = np.float32(first.history["test_loss"])
    session.reset()  # new initial weights: a third run
    session.run(1)
    log.close()

    assert len(set(log.runs)) == len(log.runs) == 3, \
        f"two models, the first taken back, then new weights should make 3 runs, not {len(log.runs)}"
    assert all(p.parent == tmp_path / "logs" for p in log.runs)
    one, two, three = (logged_steps(p) for p in log.runs)
    assert one["loss/train"] == [1, 2, 3, 4, 5], "the model taken back did not go on in its own run"
    assert one["hidden_1/kernel"] == [0, 1, 2, 3, 4, 5], "its histograms were not written once per epoch"
    assert two["loss/train"] == [1, 2] and two["hidden_1/kernel"] == [0, 1, 2]
    assert three["loss/train"] == [1] and three["hidden_1/kernel"] == [0, 1], "Reset did not begin a new run"
    tb = TensorBoard(tmp_path / "logs")
    np.testing.assert_array_equal(tb.scalars(log.runs[0].name, "loss/test")[1], test_loss)
    assert tb.session_groups()[log.runs[1].name]["hparams"]["units"] == "4-8"


def test_train_logdir_writes_a_run_tensorboard_reads(tmp_path):
    from tests.core.test_core_cli import EXAMPLES, run

    result = run("train", EXAMPLES / "xor.json", "--epochs", 4, "--out", tmp_path / "out", "--device", "cpu",
                 "--logdir", tmp_path / "logs")
    assert result.returncode == 0, result.stderr
    [folder] = (tmp_path / "logs").iterdir()
    assert re.fullmatch(r"xor-\d{8}-\d{6}", folder.name), folder.name
    history = (tmp_path / "out" / "history.csv").read_text().splitlines()
    test_loss = np.float32([float(line.split(",")[history[0].split(",").index("test_loss")]) for line in history[1:]])
    tb = TensorBoard(tmp_path / "logs")
    steps, values = tb.scalars(folder.name, "loss/test")
    assert steps == [1, 2, 3, 4]
    np.testing.assert_array_equal(values, test_loss, err_msg="the logged test loss is not the run's history")
    assert tb.session_groups()[folder.name]["hparams"]["dataset"] == "xor"
    assert "--logdir DIR" in run("train", "--help").stdout


def test_train_logdir_that_cannot_be_made_is_one_sentence_and_exit_2(tmp_path):
    from tests.core.test_core_cli import EXAMPLES, run

    (tmp_path / "file").write_text("not a folder")
    result = run("train", EXAMPLES / "xor.json", "--epochs", 1, "--out", tmp_path / "out",
                 "--logdir", tmp_path / "file" / "logs")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Cannot make the TensorBoard run folder" in result.stderr, result.stderr

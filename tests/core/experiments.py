"""Small experiments several core test modules train (not a test module itself)."""
from playground.core.spec import Experiment


def xor_experiment(epochs: int = 30, **training) -> Experiment:
    """XOR, 200 samples, learning rate 0.03, ``epochs`` epochs; ``training`` overrides other training fields."""
    exp = Experiment(name="xor")
    exp.dataset.samples = 200
    exp.training.epochs = epochs
    exp.training.learning_rate = 0.03
    for k, v in training.items():
        setattr(exp.training, k, v)
    return exp

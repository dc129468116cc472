"""Data sets: TensorFlow Playground's 2-D generators, small tables, MNIST and CSV files.

No Qt here, and no TensorFlow at import time (only a missing MNIST download imports Keras).
"""
from playground.data.csvio import export_csv, load_csv
from playground.data.dataset import FEATURES, Dataset, feature_label
from playground.data.registry import DatasetInfo, dataset_info, list_datasets, load_dataset

__all__ = [
    "FEATURES",
    "Dataset",
    "DatasetInfo",
    "dataset_info",
    "export_csv",
    "feature_label",
    "list_datasets",
    "load_csv",
    "load_dataset",
]

"""Shared test set-up: Qt offscreen, TensorFlow quiet, Keras' cache kept out of the home folder."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

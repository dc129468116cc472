"""The project's one error type for problems a user can cause.

``str(error)`` is a complete human sentence: the CLI prints it and exits 2, the
UI shows it in a dialog or inline. Anything else escaping is a bug.
"""


class PlaygroundError(Exception):
    """A problem with the user's input: a file, a setting, a data set."""

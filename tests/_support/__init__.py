"""Helpers shared by the tests; fixtures stay in the ``conftest.py`` files.

Import them absolutely, ``from tests._support.<module> import name``: the
repository root is on ``sys.path`` through pytest's ``pythonpath`` setting,
so the same line works from any test folder, from ``examples/`` and from
scripts run at the root.

Modules:
    child_processes: run the command line, or a script, in a child process.
    config_dialog_driving: open and fill a ConfigDialog, answer its questions.
    memory_keyring: a real keyring backend that keeps entries in memory.
    plugin_files: write plugin modules and installed-looking distributions.
    qt_driving: answer modal widgets, click cells, open the main window.
    sample_integrations: the integrations, form and signal the UI tests use.
    saved_configs: store configurations the way the app does.
"""

"""The built-in integrations.

Each module is a plugin registered through the ``desktop_app.plugins``
entry point group, the same path third-party plugins take, so the plugin
API is exercised by our own code.
"""

"""The mutation gate (``nox -s mutation``): cosmic-ray over app/, configured in setup.cfg."""

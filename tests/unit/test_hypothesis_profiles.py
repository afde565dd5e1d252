"""The hypothesis profiles: a quick one for the local test-first loop, a thorough one for CI."""

from __future__ import annotations

from hypothesis import settings


def test_ci_profile_tries_200_examples_and_the_local_default_far_fewer():
    ci, default = settings.get_profile("ci"), settings.get_profile("default")
    assert ci.max_examples == 200
    assert default.max_examples <= 20
    assert ci.derandomize is True

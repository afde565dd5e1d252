"""The Selenium harness's options are registered by the root conftest, so they exist however
pytest is started: `pytest tests/unit --headed` must not fail on an unknown option."""


def test_ui_harness_options_are_known_when_only_unit_tests_are_collected(pytestconfig):
    assert pytestconfig.getoption("headed") is False
    assert pytestconfig.getoption("blog_base_url") is None

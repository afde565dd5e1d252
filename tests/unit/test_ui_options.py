"""The Selenium harness's options are registered by the root conftest, so they exist however
pytest is started: `pytest tests/unit --headed` must not fail on an unknown option. Its
server URL is pytest-base-url's --base-url, which the harness does not declare a second time
(that crashed pytest at start-up)."""


def test_ui_harness_options_are_known_when_only_unit_tests_are_collected(pytestconfig):
    assert pytestconfig.getoption("headed") is False
    assert pytestconfig.getoption("selenium_remote") is None
    assert not pytestconfig.getoption("base_url")


def test_the_base_url_option_is_pytest_base_urls(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("base_url")

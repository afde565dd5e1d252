"""Mail with no mail settings in the environment goes over plain SMTP to localhost:25, giving
up on a server that does not answer after 10 s; MAIL_PORT takes 1 to 65535, SITE_URL only a
scheme and host."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError

PROD_KEY = "k3J9x-Vb2Qw8Lm4Zp7Rt1Yc6Nd0Hf5Gs9Ua2Ei8Oo"


def test_unset_mail_goes_over_plain_smtp_to_localhost_25_waiting_10_seconds():
    state = create_app("prod", environ={"SECRET_KEY": PROD_KEY}).extensions["mailman"]
    assert (state.backend, state.server, state.port) == ("smtp", "localhost", 25)
    assert (state.use_tls, state.use_ssl, state.timeout) == (False, False, 10)
    assert state.default_sender == "Mastering Flask Blog <blog@localhost>"


@pytest.mark.parametrize("port", ["1", "65535", " 587 "])
def test_mail_port_takes_1_to_65535(port):
    app = create_app("dev", environ={"MAIL_PORT": port})
    assert app.extensions["mailman"].port == int(port)


@pytest.mark.parametrize("port", ["0", "65536", "-1", "25.0"])
def test_mail_port_refuses_anything_else_with_one_line(port):
    with pytest.raises(ConfigError, match=r"^MAIL_PORT must be a port number \(1-65535\), not"):
        create_app("dev", environ={"MAIL_PORT": port})


@pytest.mark.parametrize(
    "url", ["https://blog.example.org/blog", "http://blog.example.org/a/", "https://a.org://b.org"]
)
def test_site_url_refuses_a_path_after_the_host(url):
    with pytest.raises(ConfigError, match=r"^SITE_URL must be the site's scheme and host"):
        create_app("dev", environ={"SITE_URL": url})

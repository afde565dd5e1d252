"""The template tags the site offers: its own cached part, and not Flask-Caching's
{% cache %}, which would show one visitor's fragment to everyone, logged in or not."""

from __future__ import annotations

import pytest
from jinja2 import TemplateSyntaxError


def test_flask_cachings_cache_tag_is_not_offered(app):
    with pytest.raises(TemplateSyntaxError, match="cache"):
        app.jinja_env.from_string("{% cache 60 %}{{ current_user }}{% endcache %}")

"""The main blueprint: the site's root."""


def test_root_redirects_to_the_blog(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"

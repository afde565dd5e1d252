"""What the tests share: reading the database afresh (database), pages as a visitor reads
them (html), logging clients in (sessions), API headers and error bodies (api), and requests
side by side (races). Fixtures built on them live in the root conftest.py."""

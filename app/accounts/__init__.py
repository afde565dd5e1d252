"""Accounts: who is logged in and what they may do.

- ``login``: the user loader and the credential check (login form and API alike);
- ``throttle``: failed-login limits per (account, address) and per address;
- ``passwords``: hashing and the password rules;
- ``users``: creating accounts (register, ``flask users``, seed);
- ``permissions``: who may write, change and delete what;
- ``next_url``: where a login may send the browser back to.

Nothing is imported here: app.models imports ``passwords`` and must not import the rest.
"""

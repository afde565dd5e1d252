"""A fresh checkout has no instance folder: the app makes it when its SQLite database file
lives there (the dev and UI-test databases), and leaves it alone otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app import create_app


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    return folder


def test_the_dev_app_makes_the_instance_folder_of_its_database(instance):
    app = create_app("dev", environ={})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'blog.sqlite'}"
    assert instance.is_dir()


def test_the_next_start_finds_the_folder_made(instance):
    create_app("dev", environ={})
    assert create_app("dev", environ={}).instance_path == str(instance)


def test_an_in_memory_database_makes_no_instance_folder(instance):
    create_app("test", environ={})
    assert not instance.exists()

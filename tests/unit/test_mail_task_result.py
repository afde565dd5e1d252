"""The mail task says whether this call sent the mail: True the first time under a key,
False for a key that went already (and nothing is sent again)."""

from __future__ import annotations

from app.mail import DELIVER


def test_the_task_says_true_once_and_false_for_a_key_that_went_already(app, mailbox):
    task = app.extensions["celery"].tasks[DELIVER]
    fields = {"to": ["ann@example.org"], "subject": "Once", "body": "x", "headers": {}}
    assert [task.apply(("test:result", fields)).get() for _ in "ab"] == [True, False]
    assert [m.message["Subject"] for m in mailbox.messages] == ["Once"]

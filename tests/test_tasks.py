"""Retrying background tasks (cms/tasks.py): again later and later, and not for ever."""

import datetime

from django.utils import timezone
from django_tasks import task

from cms.tasks import Backoff, retry_later

BACKOFF = Backoff(first_delay=datetime.timedelta(seconds=30), factor=3, max_attempts=4)
attempts_seen = []


@task()
def flaky_task(name, succeed_on, attempt=1):
    """Fails (asks to be retried) until attempt `succeed_on`."""
    attempts_seen.append((name, attempt, timezone.now()))
    if attempt < succeed_on:
        return retry_later(flaky_task, name, succeed_on, attempt=attempt, backoff=BACKOFF) is not None
    return "done"


def test_the_delays_grow_by_the_factor_and_stop_at_the_cap():
    assert BACKOFF.delays == [datetime.timedelta(seconds=s) for s in (30, 90, 270)]
    capped = Backoff(first_delay=datetime.timedelta(hours=1), factor=10, max_attempts=4)
    assert capped.delays == [
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=10),
        datetime.timedelta(days=1),
    ]


def test_a_failing_task_runs_again_after_each_delay_until_it_succeeds(db, task_queue):
    attempts_seen.clear()
    flaky_task.enqueue("a", 3)
    start = timezone.now()

    task_queue.run_due(at=start)
    [waiting] = task_queue.waiting("flaky_task")
    assert waiting.run_after == start + datetime.timedelta(seconds=30)
    assert waiting.args_kwargs == {"args": ["a", 3], "kwargs": {"attempt": 2}}

    assert task_queue.run_due(at=start + datetime.timedelta(seconds=29)) == []
    task_queue.run_due(at=start + datetime.timedelta(seconds=30))
    task_queue.run_due(at=start + datetime.timedelta(seconds=120))
    assert [attempt for _name, attempt, _at in attempts_seen] == [1, 2, 3]
    assert task_queue.waiting() == []


def test_the_last_attempt_is_not_retried(db, task_queue):
    attempts_seen.clear()
    flaky_task.enqueue("b", 99)
    at = timezone.now()
    for _ in range(10):
        task_queue.run_due(at=at)
        at += datetime.timedelta(hours=1)
    assert [attempt for _name, attempt, _at in attempts_seen] == [1, 2, 3, 4]
    assert task_queue.waiting() == []


def test_with_the_immediate_backend_a_failure_is_final(db):
    """The suite's default backend runs tasks at once and cannot run one later: no retry, no error."""
    attempts_seen.clear()
    result = flaky_task.enqueue("c", 2)
    assert result.status == "SUCCESSFUL" and result.return_value is False
    assert [attempt for _name, attempt, _at in attempts_seen] == [1]

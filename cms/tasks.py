"""
Retrying background tasks with exponential backoff.

django-tasks runs a task once and records whether it raised. A task whose work can fail for a while
(a webhook receiver or a mail server that is down) asks for another go with `retry_later()`: it
enqueues the same task again to run after a delay that grows with each attempt, counting attempts
in the task's own `attempt` argument, until the backoff's `max_attempts` is reached:

    WEBHOOK_BACKOFF = Backoff(first_delay=timedelta(minutes=1), factor=4, max_attempts=6)

    @task()
    def deliver(delivery_id, attempt=1):
        if not send(delivery_id):
            next_attempt_at = retry_later(deliver, delivery_id, attempt=attempt, backoff=WEBHOOK_BACKOFF)
            ...  # None: that was the last attempt; record that it failed for good
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """
    When to try again: attempt n + 1 runs first_delay × factor^(n - 1) after attempt n fails (at most
    max_delay later), and there are at most max_attempts attempts in all, the first one included.
    """

    first_delay: timedelta
    max_attempts: int
    factor: float = 2
    max_delay: timedelta = timedelta(days=1)

    def delay_after(self, attempt):
        """How long after failed attempt number `attempt` (1 for the first) the next one runs."""
        return min(self.first_delay * self.factor ** (attempt - 1), self.max_delay)

    @property
    def delays(self):
        """Every wait between attempts, in order: max_attempts - 1 of them."""
        return [self.delay_after(attempt) for attempt in range(1, self.max_attempts)]


def retry_later(task, *args, attempt, backoff, **kwargs):
    """
    Enqueue `task(*args, attempt=attempt + 1, **kwargs)` to run `backoff.delay_after(attempt)` from
    now and return when it will run. Return None, and enqueue nothing, when `attempt` was the last one
    allowed, or when the task's backend cannot run a task later (the immediate backend the tests use:
    there a failure is final).
    """
    if attempt >= backoff.max_attempts:
        return None
    if not task.get_backend().supports_defer:
        logger.warning("Not retrying %s: its task backend cannot run a task later.", task.name)
        return None
    run_after = timezone.now() + backoff.delay_after(attempt)
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return run_after

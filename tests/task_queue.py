"""
The database task queue in a test: what `manage.py db_worker` does in production, on demand.

The suite runs tasks at once by default (cms/settings/test.py). The `task_queue` fixture switches to
the database backend, so enqueued tasks wait in the queue as they do in production, and
`run_due(at=...)` runs those due at that moment with db_worker's own Worker, without sleeping: a
retry scheduled minutes ahead runs as soon as the test moves `at` past it.
"""

from unittest import mock

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


class TaskQueue:
    BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def __init__(self):
        self.worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )

    def waiting(self, name=None):
        """The tasks not run yet (only those of the task function `name`, if given), soonest first."""
        tasks = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("run_after")
        return [task for task in tasks if name is None or task.task_path.endswith(f".{name}")]

    def run_due(self, at=None):
        """
        Run the tasks due at `at` (default: now), as the clock reads `at` meanwhile, including tasks
        they enqueue that are due by then; return the names of those that ran, in order (Wagtail's
        indexing tasks among them). A task that raised fails the test. (db_worker's own loop would
        close the test's database connection: this runs its tasks the same way, one at a time.)
        """
        at = at or timezone.now()
        ran = []
        with mock.patch("django.utils.timezone.now", return_value=at):
            for _ in range(1000):
                result = DBTaskResult.objects.ready().first()
                if result is None:
                    break
                result.claim(self.worker.worker_id)
                self.worker.run_task(result)
                ran.append(result)
        failed = [result for result in ran if result.status == TaskResultStatus.FAILED]
        assert not failed, failed[0].traceback
        return [result.task_name for result in ran]

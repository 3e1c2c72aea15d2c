"""Queue the background tasks that publish and expire content on schedule (cms/scheduling.py)."""

from django.core.management.base import BaseCommand

from cms.scheduling import schedule_pending


class Command(BaseCommand):
    help = (
        "Queue a task for every scheduled go-live and expiry in the database that has none yet; the "
        "worker (db_worker) runs each at its time, and overdue ones at once. Run by migrate_site; safe "
        "to run repeatedly. Saving a schedule in the admin queues its task by itself."
    )

    def handle(self, *args, **options):
        go_live, expiring = schedule_pending()
        if options["verbosity"]:
            self.stdout.write(
                f"Scheduled publishing: {go_live} go-live and {expiring} expiry schedule(s) queued."
            )

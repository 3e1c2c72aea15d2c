"""
Restore a backup into a new, empty database and print what the restored site serves: run by
tests/test_backup.py in a process of its own, as a new server would be set up.

    DATABASE_URL=<an empty database> python -m tests.restored_site ARCHIVE MEDIA_ROOT OUTPUT PATH...

writes to OUTPUT a JSON object of each path to its status and text (after `migrate_site` and
`restore_site ARCHIVE`, with media files stored under MEDIA_ROOT).
"""

import json
import os
import sys

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
django.setup()

from django.core.management import call_command  # noqa: E402  (after setup, as a script)
from django.test import Client, override_settings  # noqa: E402


def main(archive, media_root, output, *paths):
    with override_settings(MEDIA_ROOT=media_root):
        call_command("migrate_site", verbosity=0)
        call_command("restore_site", archive, verbosity=0)
        client = Client()
        served = {}
        for path in paths:
            response = client.get(path)
            served[path] = f"{response.status_code}\n{response.content.decode()}"
    with open(output, "w", encoding="utf-8") as file:
        json.dump(served, file)


if __name__ == "__main__":
    main(*sys.argv[1:])

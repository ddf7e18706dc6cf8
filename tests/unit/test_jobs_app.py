from procrastinate.testing import InMemoryConnector

from core import jobs


def test_every_app_gets_the_same_task_names_and_schedule() -> None:
    first = jobs.create_app(connector=InMemoryConnector())
    second = jobs.create_app(connector=InMemoryConnector())
    ours = {
        "ingest:import_file",
        "ingest:sync_account",
        "ingest:schedule_syncs",
        "analysis:analyse_workspace",
        "suggest:suggest_workspace",
        "webhooks:deliver_webhooks",
        "posting:post_replies",
        "suggest:schedule_mornings",
    }
    assert ours <= set(first.tasks)
    assert ours <= set(second.tasks)
    # The order of the schedule is the order blueprints are added in: not part of the promise.
    assert set(second.periodic_registry.periodic_tasks) == {
        ("ingest:schedule_syncs", ""),
        ("webhooks:deliver_webhooks", ""),
        ("posting:post_replies", ""),
        ("suggest:schedule_mornings", ""),
    }
    assert list(first.periodic_registry.periodic_tasks) == list(
        second.periodic_registry.periodic_tasks
    )

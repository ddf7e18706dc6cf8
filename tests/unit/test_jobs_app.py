from procrastinate.testing import InMemoryConnector

from service import jobs, pipeline


def test_every_app_gets_the_same_task_names_and_schedule() -> None:
    first = jobs.create_app(connector=InMemoryConnector())
    second = jobs.create_app(connector=InMemoryConnector())
    ours = {
        "ingest:import_file",
        "ingest:sync_account",
        "ingest:schedule_syncs",
        "analysis:analyse_workspace",
        "analysis:refresh_profiles",
        "suggest:suggest_workspace",
        "suggest:schedule_mornings",
        "webhooks:deliver_webhooks",
        "posting:post_replies",
        "schedule:retry_stalled_jobs",
        "schedule:remove_old_jobs",
    }
    assert ours <= set(first.tasks)
    assert ours <= set(second.tasks)
    # The order of the schedule is the order tasks are registered in: not part of the promise.
    assert set(second.periodic_registry.periodic_tasks) == {
        ("ingest:schedule_syncs", ""),
        ("suggest:schedule_mornings", ""),
        ("webhooks:deliver_webhooks", ""),
        ("posting:post_replies", ""),
        ("schedule:retry_stalled_jobs", ""),
        ("schedule:remove_old_jobs", ""),
    }
    assert list(first.periodic_registry.periodic_tasks) == list(
        second.periodic_registry.periodic_tasks
    )


def test_the_cycle_is_one_chain_whose_jobs_are_the_stages() -> None:
    app = jobs.create_app(connector=InMemoryConnector())
    chain = [s.task for s in pipeline.CYCLE]
    assert chain == [
        "analysis:analyse_workspace",
        "analysis:refresh_profiles",
        "suggest:suggest_workspace",
    ]
    assert [pipeline.next_stage(t) for t in chain] == [*pipeline.CYCLE[1:], None]
    assert all(app.tasks[s.task].queue == s.queue for s in pipeline.CYCLE)

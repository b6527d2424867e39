"""gitpod-sdk 0.12.0 (JSON), through `gitpod.Gitpod()` and GITPOD_BASE_URL / GITPOD_API_KEY."""

import os

import gitpod
import pytest

from conftest import FILE, eventually


@pytest.fixture(scope="module")
def automations(server):
    os.environ["GITPOD_BASE_URL"] = server.url
    os.environ["GITPOD_API_KEY"] = server.token
    return gitpod.Gitpod().environments.automations


def ids(automations):
    services = {s.metadata.reference: s.id for s in automations.services.list()}
    tasks = {t.metadata.reference: t.id for t in automations.tasks.list()}
    return services, tasks


def execution_phase(automations, execution_id):
    return automations.tasks.executions.retrieve(id=execution_id).task_execution.status.phase


def test_the_whole_life_of_services_and_tasks(server, automations):
    upserted = automations.upsert(environment_id=server.environment_id, automations_file=FILE)
    assert len(upserted.updated_service_ids) == 1 and len(upserted.updated_task_ids) == 4
    services, tasks = ids(automations)
    assert set(tasks) == {"build", "test", "broken", "slow"}
    web = automations.services.retrieve(id=services["web"]).service
    assert web.metadata.name == "Web" and web.status.phase == "SERVICE_PHASE_STOPPED"

    automations.services.start(id=services["web"])
    eventually(lambda: automations.services.retrieve(id=services["web"]).service.status.phase
               == "SERVICE_PHASE_RUNNING")

    execution = automations.tasks.start(id=tasks["test"]).task_execution
    plan = [[step.label for step in group.steps] for group in execution.spec.plan]
    assert plan == [["build", "web"], ["test"]]
    eventually(lambda: execution_phase(automations, execution.id) == "TASK_EXECUTION_PHASE_SUCCEEDED")

    broken = automations.tasks.start(id=tasks["broken"]).task_execution
    eventually(lambda: execution_phase(automations, broken.id) == "TASK_EXECUTION_PHASE_FAILED")
    failed = automations.tasks.executions.retrieve(id=broken.id).task_execution
    assert failed.status.failure_message == "command exited with status 3"

    slow = automations.tasks.start(id=tasks["slow"]).task_execution
    eventually(lambda: execution_phase(automations, slow.id) == "TASK_EXECUTION_PHASE_RUNNING")
    automations.tasks.executions.stop(id=slow.id)
    eventually(lambda: execution_phase(automations, slow.id) == "TASK_EXECUTION_PHASE_STOPPED")

    listed = list(automations.tasks.executions.list(filter={"task_ids": [tasks["test"]]}))
    assert [e.id for e in listed] == [execution.id]

    automations.services.stop(id=services["web"])
    eventually(lambda: automations.services.retrieve(id=services["web"]).service.status.phase
               == "SERVICE_PHASE_STOPPED")


def test_sixty_tasks_in_pages_of_25(automations):
    for index in range(60):
        automations.tasks.create(metadata={"reference": f"page-{index}", "name": f"Page {index}"},
                                 spec={"command": "true"})
    first = automations.tasks.list(page_size=25)
    assert len(first.tasks) == 25 and first.pagination.next_token
    references = [t.metadata.reference for t in automations.tasks.list(page_size=25)]  # auto-pages
    assert len([r for r in references if r.startswith("page-")]) == 60


def test_errors_arrive_typed(automations):
    with pytest.raises(gitpod.NotFoundError) as missing:
        automations.services.retrieve(id="00000000-0000-4000-8000-000000000000")
    assert missing.value.body["code"] == "not_found"
    with pytest.raises(gitpod.BadRequestError) as invalid:
        automations.services.retrieve(id="not-a-uuid")
    assert invalid.value.body["code"] == "invalid_argument"
    intruder = gitpod.Gitpod(bearer_token="wrong-token", base_url=os.environ["GITPOD_BASE_URL"])
    with pytest.raises(gitpod.AuthenticationError):
        intruder.environments.automations.services.list().services


def test_a_restarted_server_has_the_same_items_and_executions(server, automations):
    services, tasks = ids(automations)
    executions = sorted(e.id for e in automations.tasks.executions.list())
    assert executions and services and tasks
    environment = server.environment_id
    assert server.stop() == 0
    server.start()
    assert server.environment_id == environment
    os.environ["GITPOD_BASE_URL"] = server.url
    again = gitpod.Gitpod().environments.automations
    assert ids(again) == (services, tasks)
    after = list(again.tasks.executions.list())
    assert sorted(e.id for e in after) == executions
    assert all(e.status.phase != "TASK_EXECUTION_PHASE_RUNNING" for e in after)
    assert again.services.retrieve(id=services["web"]).service.status.phase == "SERVICE_PHASE_STOPPED"

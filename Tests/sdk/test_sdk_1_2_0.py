"""gitpod-sdk 1.2.0 (binary protobuf over Connect), through `ona_sdk.create_client_from_env()`."""

import os

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError
from gitpod.v1 import environment_automation_pb2 as ea
from gitpod.v1 import pagination_pb2
from ona_sdk import create_client_from_env

from conftest import FILE, eventually


@pytest.fixture(scope="module")
def automation(server):
    os.environ["ONA_BASE_URL"] = server.url
    os.environ["ONA_API_KEY"] = server.token
    client = create_client_from_env()
    return client.services.environment_automation


def automations_file():
    file = ea.AutomationsFile()
    for reference, service in FILE["services"].items():
        entry = file.services[reference]
        entry.name = service["name"]
        entry.commands.start = service["commands"]["start"]
        entry.commands.ready = service["commands"]["ready"]
        entry.triggered_by.extend(service["triggeredBy"])
        entry.readiness_timeout.FromSeconds(30)
    for reference, task in FILE["tasks"].items():
        entry = file.tasks[reference]
        entry.name = task["name"]
        entry.command = task["command"]
        entry.depends_on.extend(task.get("dependsOn", []))
    return file


def ids(automation):
    services = {s.metadata.reference: s.id for s in automation.list_services(ea.ListServicesRequest()).services}
    tasks = {t.metadata.reference: t.id for t in automation.list_tasks(ea.ListTasksRequest()).tasks}
    return services, tasks


def execution_phase(automation, execution_id):
    return automation.get_task_execution(ea.GetTaskExecutionRequest(id=execution_id)).task_execution.status.phase


def test_the_whole_life_of_services_and_tasks(server, automation):
    upserted = automation.upsert_automations_file(
        ea.UpsertAutomationsFileRequest(environment_id=server.environment_id, automations_file=automations_file()))
    assert len(upserted.updated_service_ids) == 1 and len(upserted.updated_task_ids) == 4
    services, tasks = ids(automation)
    assert set(tasks) == {"build", "test", "broken", "slow"}
    web = automation.get_service(ea.GetServiceRequest(id=services["web"])).service
    assert web.metadata.name == "Web" and web.spec.readiness_timeout.seconds == 30

    automation.start_service(ea.StartServiceRequest(id=services["web"]))
    eventually(lambda: automation.get_service(ea.GetServiceRequest(id=services["web"])).service.status.phase
               == ea.SERVICE_PHASE_RUNNING)

    execution = automation.start_task(ea.StartTaskRequest(id=tasks["test"])).task_execution
    plan = [[step.label for step in group.steps] for group in execution.spec.plan]
    assert plan == [["build", "web"], ["test"]]
    eventually(lambda: execution_phase(automation, execution.id) == ea.TASK_EXECUTION_PHASE_SUCCEEDED)
    finished = automation.get_task_execution(ea.GetTaskExecutionRequest(id=execution.id)).task_execution
    assert all(step.phase == ea.TASK_EXECUTION_PHASE_SUCCEEDED for step in finished.status.steps)

    broken = automation.start_task(ea.StartTaskRequest(id=tasks["broken"])).task_execution
    eventually(lambda: execution_phase(automation, broken.id) == ea.TASK_EXECUTION_PHASE_FAILED)
    failed = automation.get_task_execution(ea.GetTaskExecutionRequest(id=broken.id)).task_execution
    assert failed.status.failure_message == "command exited with status 3"

    slow = automation.start_task(ea.StartTaskRequest(id=tasks["slow"])).task_execution
    eventually(lambda: execution_phase(automation, slow.id) == ea.TASK_EXECUTION_PHASE_RUNNING)
    automation.stop_task_execution(ea.StopTaskExecutionRequest(id=slow.id))
    eventually(lambda: execution_phase(automation, slow.id) == ea.TASK_EXECUTION_PHASE_STOPPED)

    listed = automation.list_task_executions(
        ea.ListTaskExecutionsRequest(filter=ea.ListTaskExecutionsRequest.Filter(task_ids=[tasks["test"]])))
    assert [e.id for e in listed.task_executions] == [execution.id]

    automation.stop_service(ea.StopServiceRequest(id=services["web"]))
    eventually(lambda: automation.get_service(ea.GetServiceRequest(id=services["web"])).service.status.phase
               == ea.SERVICE_PHASE_STOPPED)


def test_sixty_tasks_in_pages_of_25(automation):
    for index in range(60):
        automation.create_task(ea.CreateTaskRequest(
            metadata=ea.TaskMetadata(reference=f"page-{index}", name=f"Page {index}"),
            spec=ea.TaskSpec(command="true")))
    seen, token, calls = [], "", 0
    while True:
        page = automation.list_tasks(ea.ListTasksRequest(
            filter=ea.ListTasksRequest.Filter(),
            pagination=pagination_pb2.PaginationRequest(page_size=25, token=token)))
        calls += 1
        seen += [t.metadata.reference for t in page.tasks if t.metadata.reference.startswith("page-")]
        token = page.pagination.next_token
        if not token:
            break
    assert len(seen) == 60 and len(set(seen)) == 60
    assert calls >= 3


def test_errors_arrive_typed(server, automation):
    with pytest.raises(ConnectError) as missing:
        automation.get_service(ea.GetServiceRequest(id="00000000-0000-4000-8000-000000000000"))
    assert missing.value.code == Code.NOT_FOUND
    with pytest.raises(ConnectError) as invalid:
        automation.get_service(ea.GetServiceRequest(id="not-a-uuid"))
    assert invalid.value.code == Code.INVALID_ARGUMENT
    os.environ["ONA_API_KEY"] = "wrong-token"
    try:
        intruder = create_client_from_env().services.environment_automation
        with pytest.raises(ConnectError) as denied:
            intruder.list_services(ea.ListServicesRequest())
        assert denied.value.code == Code.UNAUTHENTICATED
    finally:
        os.environ["ONA_API_KEY"] = server.token


def test_a_restarted_server_has_the_same_items_and_executions(server, automation):
    services, tasks = ids(automation)
    executions = sorted(e.id for e in automation.list_task_executions(ea.ListTaskExecutionsRequest()).task_executions)
    assert executions and services and tasks
    environment = server.environment_id
    assert server.stop() == 0
    server.start()
    assert server.environment_id == environment
    os.environ["ONA_BASE_URL"] = server.url
    again = create_client_from_env().services.environment_automation
    assert ids(again) == (services, tasks)
    after = again.list_task_executions(ea.ListTaskExecutionsRequest()).task_executions
    assert sorted(e.id for e in after) == executions
    assert all(e.status.phase != ea.TASK_EXECUTION_PHASE_RUNNING for e in after)
    web = again.get_service(ea.GetServiceRequest(id=services["web"])).service
    assert web.status.phase == ea.SERVICE_PHASE_STOPPED  # not restarted: no trigger says so

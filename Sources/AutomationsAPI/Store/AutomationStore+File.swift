import AutomationsModel
import Foundation
public import GitpodAPI
import SwiftProtobuf

extension AutomationStore {
    /// What applying a file changed: the ids it created or updated, and the ids of items it no longer holds (the
    /// caller stops those and removes them).
    public struct FileChanges: Sendable {
        public var updatedServiceIDs: [String] = []
        public var updatedTaskIDs: [String] = []
        public var removedServiceIDs: [String] = []
        public var removedTaskIDs: [String] = []
    }

    /// Checks the file as a whole before changing anything, by the same rules as the loader (``FileRules``); the
    /// first problem is the `invalid_argument` error.
    static func check(_ file: Gitpod_V1_AutomationsFile) throws(ConnectError) {
        let (model, unknownNames) = file.model()
        if let problem = unknownNames.first ?? FileRules.problems(in: model).first?.message {
            throw ConnectError(.invalidArgument, "automationsFile: \(problem)")
        }
    }

    /// Creates and updates items by reference; items no longer in the file are reported for removal.
    public func apply(_ request: Gitpod_V1_UpsertAutomationsFileRequest) throws(ConnectError) -> FileChanges {
        guard request.environmentID.isEmpty || request.environmentID == environmentID else {
            throw ConnectError(.notFound, "environment \(request.environmentID) not found")
        }
        let file = request.automationsFile
        try Self.check(file)
        var changes = FileChanges()
        var idsByReference: [String: String] = [:]
        for reference in file.services.keys.sorted() {
            let entry = file.services[reference]!
            var service =
                serviceOrder.compactMap { services[$0] }.first { $0.metadata.reference == reference }
                ?? newService(reference: reference)
            service.metadata.name = entry.name
            service.metadata.description_p = entry.description_p
            service.metadata.triggeredBy = entry.triggeredBy.compactMap(FileRules.trigger(named:)).map(
                Gitpod_V1_AutomationTrigger.init
            )
            service.metadata.role = Gitpod_V1_ServiceRole(FileRules.role(named: entry.role) ?? .unspecified)
            service.spec.commands = entry.commands
            if entry.hasRunsOn { service.spec.runsOn = entry.runsOn } else { service.spec.clearRunsOn() }
            if entry.hasReadinessTimeout {
                service.spec.readinessTimeout = entry.readinessTimeout
            } else {
                service.spec.clearReadinessTimeout()
            }
            service.spec.specVersion += 1
            services[service.id] = service
            idsByReference[reference] = service.id
            changes.updatedServiceIDs.append(service.id)
        }
        var pendingTasks: [(String, Gitpod_V1_Task)] = []
        for reference in file.tasks.keys.sorted() {
            let entry = file.tasks[reference]!
            var task =
                taskOrder.compactMap { tasks[$0] }.first { $0.metadata.reference == reference }
                ?? newTask(reference: reference)
            task.metadata.name = entry.name
            task.metadata.description_p = entry.description_p
            task.metadata.triggeredBy = entry.triggeredBy.compactMap(FileRules.trigger(named:)).map(
                Gitpod_V1_AutomationTrigger.init
            )
            task.spec.command = entry.command
            task.spec.prebuildRequiresSuccess = entry.prebuildRequiresSuccess
            if entry.hasRunsOn { task.spec.runsOn = entry.runsOn } else { task.spec.clearRunsOn() }
            idsByReference[reference] = task.id
            pendingTasks.append((reference, task))
        }
        for (reference, var task) in pendingTasks {
            task.dependsOn = file.tasks[reference]!.dependsOn.compactMap { idsByReference[$0] }
            tasks[task.id] = task
            changes.updatedTaskIDs.append(task.id)
        }
        changes.removedServiceIDs = serviceOrder.filter { !changes.updatedServiceIDs.contains($0) }
        changes.removedTaskIDs = taskOrder.filter { !changes.updatedTaskIDs.contains($0) }
        return changes
    }

    private func newService(reference: String) -> Gitpod_V1_Service {
        var service = Gitpod_V1_Service()
        service.id = Self.newID()
        service.environmentID = environmentID
        service.metadata.reference = reference
        service.metadata.createdAt = Google_Protobuf_Timestamp(date: .now)
        service.status.phase = .stopped
        service.status.statusVersion = 1
        serviceOrder.append(service.id)
        return service
    }

    private func newTask(reference: String) -> Gitpod_V1_Task {
        var task = Gitpod_V1_Task()
        task.id = Self.newID()
        task.environmentID = environmentID
        task.metadata.reference = reference
        task.metadata.createdAt = Google_Protobuf_Timestamp(date: .now)
        taskOrder.append(task.id)
        return task
    }
}

extension AutomationStore {
    /// The stored definitions as a file for the planner, and each reference's id.
    func planningFile() -> (file: AutomationsFile, idOf: [String: String]) {
        let (services, tasks) = definitions()
        return Self.file(services: services, tasks: tasks)
    }

    /// Definitions as a file, and each reference's id.
    static func file(
        services: [Gitpod_V1_Service],
        tasks: [Gitpod_V1_Task]
    ) -> (file: AutomationsFile, idOf: [String: String]) {
        var idOf: [String: String] = [:]
        var referenceOf: [String: String] = [:]
        for service in services {
            idOf[service.metadata.reference] = service.id
            referenceOf[service.id] = service.metadata.reference
        }
        for task in tasks {
            idOf[task.metadata.reference] = task.id
            referenceOf[task.id] = task.metadata.reference
        }
        let file = AutomationsFile(
            services: services.map(\.definition),
            tasks: tasks.map { $0.definition(referenceOf: referenceOf) }
        )
        return (file, idOf)
    }

    /// Refuses a change of one service or task (created, or replacing the one with its id) that breaks a rule of the
    /// file, with the loader's words (``FileRules``): a rule broken after the change that was not broken before
    /// (`dependency cycle: a -> b -> a`, `runsOn.docker.image of task 'x' must not be empty`, …).
    func checkRules(changing service: Gitpod_V1_Service) throws(ConnectError) {
        let (services, tasks) = definitions()
        let changed =
            services.contains { $0.id == service.id }
            ? services.map { $0.id == service.id ? service : $0 } : services + [service]
        try Self.checkRules(before: (services, tasks), after: (changed, tasks))
    }

    func checkRules(changing task: Gitpod_V1_Task) throws(ConnectError) {
        let (services, tasks) = definitions()
        let changed = tasks.contains { $0.id == task.id } ? tasks.map { $0.id == task.id ? task : $0 } : tasks + [task]
        try Self.checkRules(before: (services, tasks), after: (services, changed))
    }

    private static func checkRules(
        before: (services: [Gitpod_V1_Service], tasks: [Gitpod_V1_Task]),
        after: (services: [Gitpod_V1_Service], tasks: [Gitpod_V1_Task])
    ) throws(ConnectError) {
        let broken = Set(FileRules.problems(in: file(services: before.services, tasks: before.tasks).file))
        let problems = FileRules.problems(in: file(services: after.services, tasks: after.tasks).file)
        if let problem = problems.first(where: { !broken.contains($0) }) {
            throw ConnectError(.invalidArgument, problem.message)
        }
    }
}

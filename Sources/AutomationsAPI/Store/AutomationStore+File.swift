public import AutomationsModel
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

    /// Checks the file as a whole before changing anything: names, commands, triggers, roles, references, cycles.
    static func check(_ file: Gitpod_V1_AutomationsFile) throws(ConnectError) {
        let references = Set(file.services.keys).union(file.tasks.keys)
        for (reference, service) in file.services {
            try Validation.reference(reference, field: "automationsFile.services key")
            try Validation.nonEmpty(service.name, field: "services.\(reference).name")
            try Validation.nonEmpty(service.commands.start, field: "services.\(reference).commands.start")
            for name in service.triggeredBy where TriggerConversion.trigger(named: name) == nil {
                throw ConnectError(.invalidArgument, "services.\(reference).triggeredBy: unknown trigger '\(name)'")
            }
            guard ServiceRole(rawValue: service.role) != nil else {
                throw ConnectError(.invalidArgument, "services.\(reference).role: unknown role '\(service.role)'")
            }
            try Validation.readinessTimeout(
                service.hasReadinessTimeout ? service.readinessTimeout : nil,
                field: "services.\(reference).readinessTimeout"
            )
        }
        for (reference, task) in file.tasks {
            try Validation.reference(reference, field: "automationsFile.tasks key")
            if file.services[reference] != nil {
                throw ConnectError(.invalidArgument, "'\(reference)' is both a service and a task")
            }
            try Validation.nonEmpty(task.name, field: "tasks.\(reference).name")
            try Validation.nonEmpty(task.command, field: "tasks.\(reference).command")
            for name in task.triggeredBy where TriggerConversion.trigger(named: name) == nil {
                throw ConnectError(.invalidArgument, "tasks.\(reference).triggeredBy: unknown trigger '\(name)'")
            }
            for dependency in task.dependsOn where !references.contains(dependency) {
                throw ConnectError(.invalidArgument, "tasks.\(reference).dependsOn: unknown reference '\(dependency)'")
            }
        }
        let model = AutomationsFile(
            services: file.services.keys.sorted().map { ServiceDefinition(reference: $0, name: $0, commands: nil) },
            tasks: file.tasks.keys.sorted().map { reference in
                TaskDefinition(
                    reference: reference,
                    name: reference,
                    command: "",
                    dependsOn: file.tasks[reference]!.dependsOn
                )
            }
        )
        if let cycle = DependencyGraph(model).cycles().first {
            throw ConnectError(.invalidArgument, "dependency cycle: " + cycle.joined(separator: " -> "))
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
            service.metadata.triggeredBy = entry.triggeredBy.compactMap(TriggerConversion.trigger(named:))
            service.metadata.role = Self.apiRole(entry.role)
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
            task.metadata.triggeredBy = entry.triggeredBy.compactMap(TriggerConversion.trigger(named:))
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

    static func apiRole(_ role: String) -> Gitpod_V1_ServiceRole {
        switch role {
        case "default": .default
        case "editor": .editor
        case "ai-agent": .aiAgent
        default: .unspecified
        }
    }
}

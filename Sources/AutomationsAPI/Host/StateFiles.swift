import AutomationsRuntime
import Foundation
public import GitpodAPI
import SwiftProtobuf

/// The server's state on disk: the environment id, services, tasks and task executions, each a JSON file written
/// atomically (a temporary file renamed over the old one), in the API's own message format.
public struct StateFiles: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// What was saved last, or `nil` when nothing was.
    public struct Snapshot: Sendable {
        public var environmentID: String
        public var services: [Gitpod_V1_Service]
        public var tasks: [Gitpod_V1_Task]
        public var executions: [Gitpod_V1_TaskExecution]
    }

    public func load() throws -> Snapshot? {
        let environmentPath = directory + "/environment.json"
        guard FileManager.default.fileExists(atPath: environmentPath) else { return nil }
        let environment = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: environmentPath))
        )
        guard let id = (environment as? [String: Any])?["environmentId"] as? String else { return nil }
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        func read<Message: SwiftProtobuf.Message>(_ name: String, as type: Message.Type) throws -> Message {
            let path = "\(directory)/\(name)"
            guard FileManager.default.fileExists(atPath: path) else { return Message() }
            return try Message(jsonUTF8Data: Data(contentsOf: URL(fileURLWithPath: path)), options: options)
        }
        return Snapshot(
            environmentID: id,
            services: try read("services.json", as: Gitpod_V1_ListServicesResponse.self).services,
            tasks: try read("tasks.json", as: Gitpod_V1_ListTasksResponse.self).tasks,
            executions: try read("executions.json", as: Gitpod_V1_ListTaskExecutionsResponse.self).taskExecutions
        )
    }

    public func save(_ snapshot: Snapshot) throws {
        try FileManager.default.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: PrivateStateFolder.folderMode]
        )
        var services = Gitpod_V1_ListServicesResponse()
        services.services = snapshot.services
        var tasks = Gitpod_V1_ListTasksResponse()
        tasks.tasks = snapshot.tasks
        var executions = Gitpod_V1_ListTaskExecutionsResponse()
        executions.taskExecutions = snapshot.executions
        try write(try services.jsonUTF8Data(), "services.json")
        try write(try tasks.jsonUTF8Data(), "tasks.json")
        try write(try executions.jsonUTF8Data(), "executions.json")
        try write(Data(#"{"environmentId":"\#(snapshot.environmentID)"}"#.utf8), "environment.json")
    }

    /// Atomically (Foundation's `.atomic` would leave an empty `TemporaryDirectory.*` in /tmp at every save).
    private func write(_ data: Data, _ name: String) throws {
        try AtomicFile.write([UInt8](data), to: "\(directory)/\(name)", mode: PrivateStateFolder.fileMode)
    }
}

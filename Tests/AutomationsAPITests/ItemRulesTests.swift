import AutomationsAPI
import AutomationsModel
import Foundation
import GitpodAPI
import SwiftProtobuf
import Testing

/// `CreateTask`, `UpdateTask`, `CreateService` and `UpdateService` obey the file's rules (``FileRules``) and say so
/// with the loader's words (the same as the fixtures in `AutomationsConfigTests/Fixtures/invalid/`): a change that
/// would make the definitions an invalid file is refused, whichever way it arrives.
struct ItemRulesTests {
    let store = AutomationStore()

    private func createTask(
        _ reference: String,
        dependsOn: [String] = [],
        image: String? = nil
    ) async throws
        -> String
    {
        var request = Gitpod_V1_CreateTaskRequest()
        request.metadata.reference = reference
        request.metadata.name = reference.capitalized
        request.spec.command = "echo \(reference)"
        request.dependsOn = dependsOn
        if let image { request.spec.runsOn.docker.image = image }
        return try await store.createTask(request).id
    }

    private func refusal(_ change: () async throws -> Void) async -> String? {
        do {
            try await change()
            return nil
        } catch let error as ConnectError {
            #expect(error.code == .invalidArgument)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func updateTaskRefusesACycleWithTheLoadersWords() async throws {
        let a = try await createTask("a")
        let b = try await createTask("b", dependsOn: [a])
        var update = Gitpod_V1_UpdateTaskRequest()
        update.id = a
        update.dependsOn = [b]
        let message = await refusal { try await store.updateTask(update) }
        #expect(message == "dependency cycle: a -> b -> a")  // two-cycles.expected says the same
        // Nothing changed: a still depends on nothing, and b can still start.
        #expect(try await store.task(a).dependsOn.isEmpty)
    }

    @Test func anEmptyImageOrCommandIsRefusedAsTheLoaderRefusesIt() async throws {
        let image = await refusal { _ = try await createTask("build", image: "") }
        #expect(image == "runsOn.docker.image of task 'build' must not be empty")
        let id = try await createTask("build", image: "alpine")
        var update = Gitpod_V1_UpdateTaskRequest()
        update.id = id
        update.spec.command = ""
        let command = await refusal { try await store.updateTask(update) }
        #expect(command == "command of task 'build' must not be empty")
        var service = Gitpod_V1_CreateServiceRequest()
        service.metadata.reference = "db"
        service.metadata.name = "DB"
        let start = await refusal { _ = try await store.createService(service) }
        #expect(start == "commands.start of service 'db' must not be empty")
    }

    @Test func aReadinessTimeoutOverTheLimitIsRefused() async throws {
        var create = Gitpod_V1_CreateServiceRequest()
        create.metadata.reference = "db"
        create.metadata.name = "DB"
        create.spec.commands.start = "sleep 1"
        let id = try await store.createService(create).id
        var update = Gitpod_V1_UpdateServiceRequest()
        update.id = id
        update.spec.readinessTimeout = Google_Protobuf_Duration(seconds: 90_000)
        let message = await refusal { try await store.updateService(update, isRunning: false) }
        #expect(message == "readinessTimeout of service 'db' must be at most 86400s, found '90000s'")
    }

    @Test func aChangeThatBreaksNothingIsTaken() async throws {
        let a = try await createTask("a")
        let b = try await createTask("b")
        var update = Gitpod_V1_UpdateTaskRequest()
        update.id = b
        update.dependsOn = [a]
        try await store.updateTask(update)
        #expect(try await store.task(b).dependsOn == [a])
    }
}

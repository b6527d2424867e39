import AutomationsAPI
import AutomationsClient
import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRuntime
import Foundation

/// How a run's commands are started and what they reach: the execution options (environment, containers, grace
/// periods, retries), and the API their `gitpod` calls talk to (the run's own, or a warm `serve`'s).
struct CommandWiring: Sendable {
    var options: ExecutionOptions
    /// The run's own API; `nil` against a warm server or when it could not start.
    var api: RunAPI?
    /// The folder of the stand-ins when the run made one besides its API's (a warm check).
    var privateFolder: String?

    static func make(
        for setup: RunSetup,
        runID: String,
        observer: any RuntimeObserver,
        warmInputs: WarmInputs?
    ) async -> CommandWiring {
        let makeOptions = optionsMaker(setup, runID: runID, containers: await containerPolicy(setup))
        let commandEnvironment = setup.environment.merging([RunWatchdog.variable: runID]) { $1 }
        var wiring: CommandWiring
        if let warm = setup.configuration.warmServer {
            wiring = await warmWiring(
                warm,
                inputs: warmInputs,
                setup: setup,
                commandEnvironment: commandEnvironment,
                makeOptions
            )
        } else {
            wiring = await apiWiring(setup, commandEnvironment: commandEnvironment, observer: observer, makeOptions)
        }
        let configuration = setup.configuration
        if setup.consoleMode != .prefixed && setup.secrets.isEmpty && configuration.retries == 0 {
            // Nothing but the log needs a task's output (grouped blocks are read from the logs): each task writes
            // its log itself, with no pipe and no copy through the runner.
            let logs = setup.logs
            wiring.options.taskLogFile = { reference in logs.directFile(forTask: reference) }
        }
        return wiring
    }

    func removePrivateFolder() {
        if let privateFolder { try? FileManager.default.removeItem(atPath: privateFolder) }
    }

    /// The options for a final command environment (the API's variables are only known once it listens).
    private static func optionsMaker(
        _ setup: RunSetup,
        runID: String,
        containers: ContainerPolicy
    ) -> @Sendable ([String: String]) -> ExecutionOptions {
        let configuration = setup.configuration
        let workingDirectory = setup.workingDirectory
        let userEnvironment = setup.userEnvironment
        return { environment in
            var options = ExecutionOptions(
                keepGoing: configuration.keepGoing,
                isPrebuild: setup.selection.trigger == .prebuild,
                taskStopGracePeriod: configuration.taskStopGrace,
                serviceStopGracePeriod: configuration.serviceStopGrace,
                resolver: CommandResolver(
                    workingDirectory: workingDirectory,
                    environment: environment,
                    userEnvironment: userEnvironment,
                    containers: containers
                ),
                runID: runID
            )
            options.maxConcurrentTasks = configuration.jobs
            options.retries = configuration.retries
            options.retryDelay = configuration.retryDelay
            options.schedule = configuration.schedule
            return options
        }
    }

    /// `task start` against a running serve: its services, and its API for the commands' CLI calls.
    private static func warmWiring(
        _ warm: APIClient,
        inputs: WarmInputs?,
        setup: RunSetup,
        commandEnvironment: [String: String],
        _ makeOptions: @Sendable ([String: String]) -> ExecutionOptions
    ) async -> CommandWiring {
        var extra = [APIEndpoint.urlVariable: warm.endpoint.url, RunAPI.insideRunVariable: "1"]
        if let token = warm.endpoint.token { extra[APIEndpoint.tokenVariable] = token }
        let cliShim = setup.configuration.cliShim
        if cliShim, let id = await ServerEnvironment.id(of: warm) {
            let values = GitpodVariables.values(environmentID: id, repositoryRoot: setup.loaded.rootDirectory)
            for (name, value) in values where setup.userEnvironment[name] == nil { extra[name] = value }
        }
        var privateFolder: String?
        if cliShim, let folder = try? CLIShimFolder.makePrivateFolder() {
            privateFolder = folder
            extra["PATH"] = try? CLIShimFolder.create(in: folder, path: commandEnvironment["PATH"])
        }
        var options = makeOptions(commandEnvironment.merging(extra) { $1 })
        options.sharedService = { reference in RemoteService(client: warm, reference: reference, inputs: inputs) }
        return CommandWiring(options: options, api: nil, privateFolder: privateFolder)
    }

    /// The run's own API on a private socket; without it (a warning), the commands run with no API.
    private static func apiWiring(
        _ setup: RunSetup,
        commandEnvironment: [String: String],
        observer: any RuntimeObserver,
        _ makeOptions: @escaping @Sendable ([String: String]) -> ExecutionOptions
    ) async -> CommandWiring {
        let cliShim = setup.configuration.cliShim
        var api: RunAPI?
        do {
            api = try await RunAPI.start(
                file: setup.loaded.file,
                commandEnvironment: commandEnvironment,
                shim: cliShim,
                // The real CLI reads GITPOD_ENVIRONMENT_ID too: without the stand-ins, the variables stay unset.
                gitpodVariables: cliShim ? (setup.loaded.rootDirectory, Set(setup.userEnvironment.keys)) : nil,
                observer: observer,
                makeOptions: makeOptions
            )
        } catch {
            TerminalOutput.standardError.write("warning: the run's API is not available to its commands: \(error)\n")
        }
        var options = makeOptions(commandEnvironment.merging(api?.environment ?? [:]) { $1 })
        api?.serve(&options)
        return CommandWiring(options: options, api: api, privateFolder: nil)
    }

    /// Whether the plan needs a container engine, and which one (detected only then).
    private static func containerPolicy(_ setup: RunSetup) async -> ContainerPolicy {
        // One pass over the file (a lookup per plan step would be quadratic in the number of steps).
        let planned = Set(setup.plan.steps.map(\.reference))
        let file = setup.loaded.file
        let needsContainers =
            file.tasks.contains { task in
                guard case .docker = task.runsOn else { return false }
                return planned.contains(task.reference)
            }
            || file.services.contains { service in
                guard case .docker = service.runsOn else { return false }
                return planned.contains(service.reference)
            }
        guard needsContainers else { return .unavailable("not needed") }
        if setup.configuration.docker == .host { return .host }
        return await ContainerEngine.detect(environment: setup.environment)
    }
}

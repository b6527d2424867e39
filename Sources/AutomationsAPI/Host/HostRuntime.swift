import AutomationsModel
public import AutomationsRuntime
public import GitpodAPI

/// How an ``AutomationsHost`` runs what it is asked to: the supervisors of its services and the options and extra
/// observer of its task executions. `serve` runs commands in the repository with its own environment; a run's
/// host runs them exactly as the run does, reporting to the run's console, logs and reports.
public struct HostRuntime: Sendable {
    /// Makes the supervisor of a service; `log` must receive its output (it feeds the service's log URL).
    public var makeSupervisor: @Sendable (_ service: Gitpod_V1_Service, _ log: any RuntimeObserver) -> ServiceSupervisor
    /// The options of every task execution (the host adds its services and keeps what tasks leave running).
    public var executionOptions: ExecutionOptions
    /// Also sees execution number N (1-based, in the order they were started), besides its own log.
    public var executionObserver: (@Sendable (_ number: Int) -> any RuntimeObserver)?

    public init(
        makeSupervisor: @escaping @Sendable (Gitpod_V1_Service, any RuntimeObserver) -> ServiceSupervisor,
        executionOptions: ExecutionOptions,
        executionObserver: (@Sendable (Int) -> any RuntimeObserver)? = nil
    ) {
        self.makeSupervisor = makeSupervisor
        self.executionOptions = executionOptions
        self.executionObserver = executionObserver
    }

    /// `serve`'s: commands run in `workingDirectory` with `environment` plus each service's own variables.
    public static func server(
        workingDirectory: String,
        environment: [String: String],
        serviceStopGrace: Duration
    ) -> HostRuntime {
        HostRuntime(
            makeSupervisor: { service, log in
                let variables = environment.merging(service.spec.env.plainValues) { $1 }
                let reference = service.metadata.reference
                return ServiceSupervisor(
                    definition: service.definition,
                    options: ServiceOptions(stopGracePeriod: serviceStopGrace) { command in
                        CommandSpec(
                            command: command,
                            workingDirectory: workingDirectory,
                            environment: variables,
                            step: reference
                        )
                    },
                    observer: log
                )
            },
            executionOptions: ExecutionOptions(
                resolver: CommandResolver(
                    workingDirectory: workingDirectory,
                    environment: environment,
                    containers: .host
                )
            )
        )
    }
}

/// What only this runner understands, from `automations.runner.yaml` (spec section 8): the inputs and outputs of
/// tasks (the result cache, change-aware selection), the sources of services, and the quarantine.
public struct RunnerSettings: Sendable, Equatable {
    /// Variables whose values are inputs of every task.
    public var environment: [String] = []
    /// Globs of files every task reads.
    public var sources: [String] = []
    public var tasks: [String: TaskInputs] = [:]
    public var services: [String: ServiceInputs] = [:]
    public var quarantine: [QuarantineEntry] = []
    /// `skipDuring: [rebase, merge]`: a pre-push check (`--changed-by-push`) runs nothing while one is in progress.
    public var skipDuring: [String] = []

    public init() {}

    /// A task's declared inputs and outputs.
    public struct TaskInputs: Sendable, Equatable {
        /// Globs of the files it reads; `nil`: the whole working tree as git sees it.
        public var sources: [String]?
        /// Globs of the files it writes that later steps or the user need: stored and restored. `nil` (not
        /// declared): what it writes is unknown, so it runs whenever a task that depends on it runs; `[]`: it writes
        /// nothing others need.
        public var outputs: [String]?
        /// Variables whose values are inputs.
        public var environment: [String] = []
        /// `cache: false`: never served from the cache nor stored (deploys, side effects).
        public var cache = true

        public init() {}
    }

    public struct ServiceInputs: Sendable, Equatable {
        /// Globs of the files the service reads: a warm service is restarted when they change.
        public var sources: [String]?

        public init() {}
    }

    /// A failure that is reported but does not fail the run, until a date.
    public struct QuarantineEntry: Sendable, Hashable {
        /// A step's reference, or an inner test as `REF/SUITE/NAME`.
        public var test: String
        public var owner: String
        /// The last day it applies, `YYYY-MM-DD`.
        public var until: String
        public var reason: String
        public var location: SourceLocation?

        public init(test: String, owner: String, until: String, reason: String, location: SourceLocation? = nil) {
            self.test = test
            self.owner = owner
            self.until = until
            self.reason = reason
            self.location = location
        }
    }

    /// The task's inputs, with the defaults when the file says nothing about it.
    public func inputs(ofTask reference: String) -> TaskInputs {
        tasks[reference] ?? TaskInputs()
    }
}

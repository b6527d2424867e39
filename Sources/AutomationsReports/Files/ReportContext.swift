/// What the reports say about the run besides its results.
public struct ReportContext: Sendable {
    /// The automations file as shown to the user.
    public var file: String
    public var trigger: String?
    /// The references asked for on the command line.
    public var targets: [String]
    public var logs: StepLogFiles

    public init(file: String, trigger: String?, targets: [String], logs: StepLogFiles) {
        self.file = file
        self.trigger = trigger
        self.targets = targets
        self.logs = logs
    }
}

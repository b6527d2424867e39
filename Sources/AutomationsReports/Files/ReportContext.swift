package import AutomationsModel

/// What the reports say about the run besides its results.
package struct ReportContext: Sendable {
    /// The automations file as shown to the user.
    package var file: String
    package var trigger: String?
    /// The references asked for on the command line.
    package var targets: [String]
    package var logs: StepLogFiles
    /// `K/N` when the run was one shard of a split plan.
    package var shard: String?
    /// The tests tasks ran, from the JUnit files they wrote (`--collect-junit`), by task.
    package var innerTests: [String: InnerTestResult] = [:]
    /// The runner file's quarantine: inner tests it names are reported as quarantined, not as failures.
    package var quarantine = Quarantine()
    /// What the run history said of each step before the run (usual durations, flakiness).
    package var history: [String: StepHistory] = [:]

    package init(file: String, trigger: String?, targets: [String], logs: StepLogFiles) {
        self.file = file
        self.trigger = trigger
        self.targets = targets
        self.logs = logs
    }
}

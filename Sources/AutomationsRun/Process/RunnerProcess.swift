import AutomationsRuntime

/// What the executable needs of the process machinery before and besides a run.
package enum RunnerProcess {
    /// Why `AUTOMATIONS_BACKEND` cannot be used (checked before anything runs), `nil` when it can.
    package static var backendChoiceError: String? { Platform.backendChoiceError }

    /// `automations __watchdog RUN-ID`: waits for the runner to die, then kills what its run left.
    package static func watchOver(runID: String, groupsFile: String?) {
        _ = RunWatchdog.watch(runID: runID, groupsFile: groupsFile)
    }
}

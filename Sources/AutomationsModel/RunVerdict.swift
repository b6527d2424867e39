/// The outcome of a whole run: its phase and the exit status a pipeline reads, decided together by one rule.
///
/// - A *required* failure is a FAILED step that is not a warning, or (outside `--trigger prebuild`) a FAILED
///   service. A step that is a warning (a prebuild task without `prebuildRequiresSuccess`, or any step of a
///   prebuild run that depends only on warnings) never fails the run, so a prebuild run whose only failures are
///   warnings is SUCCEEDED with exit status 0; the warnings are in the reports.
/// - A run stopped by a signal, `--timeout` or a request is FAILED when it had a required failure, else STOPPED.
///   Its exit status is 128 + N for signal N, and 1 otherwise.
/// - A run that was not stopped is SUCCEEDED (exit status 0) when every step that is not a warning succeeded and
///   no service failed (outside prebuild); otherwise it is FAILED (exit status 1).
public struct RunVerdict: Sendable, Hashable {
    public var phase: ExecutionPhase
    public var exitStatus: Int32

    public init(steps: [StepReport], services: [ServiceReport], stopReason: StopReason?, isPrebuild: Bool) {
        let requiredFailure =
            steps.contains { $0.phase == .failed && !$0.isWarning }
            || (!isPrebuild && services.contains { $0.phase == .failed })
        switch stopReason {
        case .some(let reason):
            phase = requiredFailure ? .failed : .stopped
            if case .signal(let signal) = reason { exitStatus = 128 + signal } else { exitStatus = 1 }
        case nil:
            // A step that the changes did not select is left out on purpose, as if it were not in the plan.
            let requiredIncomplete = steps.contains { $0.phase != .succeeded && !$0.isWarning && !$0.isUnaffected }
            phase = requiredFailure || requiredIncomplete ? .failed : .succeeded
            exitStatus = phase == .succeeded ? 0 : 1
        }
    }

    /// The verdict of shards' reports merged into one (`automations merge`): FAILED when a required step failed in
    /// any shard or a shard's run failed; else STOPPED when a shard's run was stopped; else SUCCEEDED. The exit
    /// status is 0 for SUCCEEDED and 1 otherwise (the shards' own statuses were already read by their jobs).
    public init(mergingShards phases: [ExecutionPhase], requiredFailure: Bool) {
        if requiredFailure || phases.contains(.failed) {
            phase = .failed
        } else if phases.contains(.stopped) {
            phase = .stopped
        } else {
            phase = .succeeded
        }
        exitStatus = phase == .succeeded ? 0 : 1
    }
}

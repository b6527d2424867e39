/// A run as the history keeps it: made from a run's report (or imported from a report made elsewhere).
package struct RecordedRun: Sendable, Equatable {
    /// The run's own id; an imported report's fingerprint makes importing it twice record it once.
    package var id: String
    package var startedAt: Double
    package var completedAt: Double
    package var commit: String?
    package var branch: String?
    package var trigger: String?
    package var targets: [String]
    package var shard: String?
    /// `succeeded`, `failed`, `stopped`.
    package var verdict: String
    /// `run`, or `import` for a report recorded with `history import`.
    package var source: String
    package var steps: [Step]
    package var tests: [TestCase]

    package struct Step: Sendable, Equatable {
        package var reference: String
        package var kind: String
        package var key: String?
        package var durationSeconds: Double?
        /// `passed`, `failed`, `error`, `skipped`.
        package var result: String
        package var attempts: Int
        package var flaky: Bool
        package var cached: Bool

        package init(
            reference: String,
            kind: String,
            key: String?,
            durationSeconds: Double?,
            result: String,
            attempts: Int,
            flaky: Bool,
            cached: Bool
        ) {
            self.reference = reference
            self.kind = kind
            self.key = key
            self.durationSeconds = durationSeconds
            self.result = result
            self.attempts = attempts
            self.flaky = flaky
            self.cached = cached
        }
    }

    package struct TestCase: Sendable, Equatable {
        package var step: String
        package var suite: String
        package var name: String
        package var timeSeconds: Double
        package var result: String

        package init(step: String, suite: String, name: String, timeSeconds: Double, result: String) {
            self.step = step
            self.suite = suite
            self.name = name
            self.timeSeconds = timeSeconds
            self.result = result
        }
    }

    package init(
        id: String,
        startedAt: Double,
        completedAt: Double,
        commit: String?,
        branch: String?,
        trigger: String?,
        targets: [String],
        shard: String?,
        verdict: String,
        source: String,
        steps: [Step],
        tests: [TestCase]
    ) {
        self.id = id
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.commit = commit
        self.branch = branch
        self.trigger = trigger
        self.targets = targets
        self.shard = shard
        self.verdict = verdict
        self.source = source
        self.steps = steps
        self.tests = tests
    }
}

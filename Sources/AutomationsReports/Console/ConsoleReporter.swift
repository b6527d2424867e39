package import AutomationsModel
package import AutomationsRuntime
import Foundation
import Synchronization

/// How live output is shown.
package enum ConsoleMode: String, Sendable, CaseIterable {
    /// Live lines as `REF | line`.
    case prefixed
    /// Each step's output as one block when the step ends.
    case grouped
    /// Only failures and the summary.
    case quiet
}

/// The console while a run goes on: step output (prefixed or grouped), step transitions, failures, GitHub Actions
/// markers and, on a terminal, one status line.
package final class ConsoleReporter: RuntimeObserver {
    package struct Configuration: Sendable {
        package var mode: ConsoleMode
        package var color: Bool
        package var githubActions: Bool
        package var statusLine: Bool
        /// Under GitLab CI (`GITLAB_CI=true`): grouped blocks are collapsible sections, collapsed for steps that
        /// succeeded.
        package var gitlabCI = false
        /// Where each step is defined in the automations file (as the CI shows paths), for annotations.
        package var definitions: [String: SourceLocation] = [:]
        /// Services a running `serve` already runs (a warm check): their step starts nothing.
        package var alreadyRunning: Set<String> = []
        /// Tasks served from the result cache: no start line, one line when restored.
        package var cached: Set<String> = []
        /// What the run history says of each step: a failure of a step known as flaky says so.
        package var history: [String: StepHistory] = [:]

        package init(mode: ConsoleMode, color: Bool, githubActions: Bool, statusLine: Bool) {
            self.mode = mode
            self.color = color
            self.githubActions = githubActions
            self.statusLine = statusLine
        }
    }

    private let configuration: Configuration
    private let output: TerminalOutput
    private let logs: StepLogFiles
    private let width: Int
    /// The references of the plan's steps.
    private let planned: Set<String>
    private let styles: [String: ANSIStyle]
    /// Each step's line prefixes, stdout's then stderr's.
    private let prefixes: [String: [[UInt8]]]
    private let total: Int
    /// Longer partial lines are shown as they are rather than held.
    private static let partialLineLimit = 64 * 1024
    /// Grouped blocks show at most this much of a log (head and tail); the log file has everything.
    private static let groupedBlockLimit = 256 * 1024

    private struct LineKey: Hashable {
        var source: OutputSource
        var stream: OutputStreamKind
    }

    private struct State: ~Copyable {
        var partial: [LineKey: [UInt8]] = [:]
        var running: [String] = []
        var finished = 0
        /// When services that are no step of the plan (started through the CLI inside the run) were started.
        var unplannedStarts: [String: Date] = [:]
        var statusShown = false
    }

    private let state = Mutex(State())

    package init(
        configuration: Configuration,
        plan: ExecutionPlan,
        logs: StepLogFiles,
        output: TerminalOutput = .standardOutput
    ) {
        self.configuration = configuration
        self.output = output
        self.logs = logs
        let references = plan.steps.map(\.reference)
        self.planned = Set(references)
        self.width = references.map(\.count).max() ?? 0
        var styles: [String: ANSIStyle] = [:]
        for (index, reference) in references.sorted().enumerated() {
            styles[reference] = ANSIStyle.palette[index % ANSIStyle.palette.count]
        }
        self.styles = styles
        self.total = plan.stepCount
        let width = self.width
        var prefixes: [String: [[UInt8]]] = [:]
        for reference in references {
            prefixes[reference] = [OutputStreamKind.stdout, .stderr].map { stream in
                Self.makePrefix(
                    reference,
                    stream: stream,
                    width: width,
                    style: styles[reference],
                    color: configuration.color
                )
            }
        }
        self.prefixes = prefixes
    }

    // MARK: - Output

    package func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        guard configuration.mode == .prefixed, source.part != .ready, source.part != .restored else { return }
        let prefix = linePrefix(source.reference, stream: stream)
        state.withLock { state in
            let key = LineKey(source: source, stream: stream)
            var pending = state.partial.removeValue(forKey: key) ?? []
            var text: [UInt8] = []
            var start = 0
            // Each complete line once: prefix, the line (a partial start held from before), newline.
            while start < bytes.count, let newline = Self.index(of: 0x0A, in: bytes, from: start) {
                if text.isEmpty { text.reserveCapacity(bytes.count - start + 64 * prefix.count) }
                text += prefix
                if !pending.isEmpty {
                    text += pending
                    pending.removeAll()
                }
                if newline > start {
                    let end = bytes[newline - 1] == 0x0D ? newline - 1 : newline
                    text.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                } else if text.last == 0x0D {
                    text.removeLast()  // the held partial line ended with the carriage return
                }
                text.append(0x0A)
                start = newline + 1
            }
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<bytes.count]))
            if pending.count >= Self.partialLineLimit {
                text += prefixed(pending, source: source, stream: stream)
                pending.removeAll()
            }
            if !pending.isEmpty { state.partial[key] = pending }
            if !text.isEmpty { emit(text, state: &state) }
        }
    }

    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count,
            let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// `REF | ` (stderr: `REF ! `), padded and styled, as bytes: made once per source and stream.
    private func linePrefix(_ reference: String, stream: OutputStreamKind) -> [UInt8] {
        let index = stream == .stderr ? 1 : 0
        if let prefix = prefixes[reference]?[index] { return prefix }
        return Self.makePrefix(
            reference,
            stream: stream,
            width: width,
            style: styles[reference],
            color: configuration.color
        )
    }

    private static func makePrefix(
        _ reference: String,
        stream: OutputStreamKind,
        width: Int,
        style: ANSIStyle?,
        color: Bool
    ) -> [UInt8] {
        let marker = stream == .stderr ? " ! " : " | "
        return Array(
            ((style ?? .cyan).apply(padded(reference, to: width), if: color) + ANSIStyle.dim.apply(marker, if: color))
                .utf8
        )
    }

    private func prefixed(_ line: [UInt8], source: OutputSource, stream: OutputStreamKind) -> [UInt8] {
        var result = linePrefix(source.reference, stream: stream)
        result += line
        if line.last == 0x0D { result.removeLast() }
        result.append(0x0A)
        return result
    }

    /// Shows what is left of a source's partial lines (its command ended without a final newline).
    private func flushPartialLines(of reference: String, kind: StepKind, state: inout State) {
        var text: [UInt8] = []
        for (key, pending) in state.partial where key.source.reference == reference && key.source.kind == kind {
            text += prefixed(pending, source: key.source, stream: key.stream)
            state.partial[key] = nil
        }
        if !text.isEmpty { emit(text, state: &state) }
    }

    /// ` (known flaky: passed only after a retry in 15% of 20 runs)` for a step the history knows as flaky.
    private func knownFlaky(_ reference: String) -> String {
        guard let history = configuration.history[reference], history.isKnownFlaky else { return "" }
        return
            " (known flaky: passed only after a retry in \(Int((history.flakyRate * 100).rounded()))% of \(history.runs) runs)"
    }

    // MARK: - Events

    /// `started`, `started (service)`, or, for a service `serve` keeps warm, `already running (kept warm by serve)`.
    private func startedText(_ step: PlanStep) -> String {
        guard step.kind == .service else { return "started" }
        return configuration.alreadyRunning.contains(step.reference)
            ? "already running (kept warm by serve)" : "started (service)"
    }

    package func record(_ event: RuntimeEvent) {
        state.withLock { state in
            switch event {
            case .stepStarted(let step, _):
                state.running.append(step.reference)
                if configuration.mode == .prefixed && !configuration.cached.contains(step.reference) {
                    emit(
                        line("▶", .bold, step.reference, startedText(step)),
                        state: &state
                    )
                } else {
                    emitStatusOnly(state: &state)
                }
            case .stepFinished(let report):
                state.running.removeAll { $0 == report.step.reference }
                state.finished += 1
                flushPartialLines(of: report.step.reference, kind: report.step.kind, state: &state)
                stepFinished(report, state: &state)
            case .servicePhaseChanged(let reference, let phase, _, let at, let failure):
                if !planned.contains(reference) {
                    unplannedServiceChanged(reference, phase: phase, at: at, state: &state)
                }
                flushPartialLines(of: reference, kind: .service, state: &state)
                // A service failing before it is ready ends its step: that step's line reports it (one line per
                // event); a service failing after it was ready gets its own line.
                let reportedByItsStep = state.running.contains(reference)
                serviceChanged(
                    reference,
                    phase: phase,
                    failure: failure,
                    reportedByItsStep: reportedByItsStep,
                    state: &state
                )
            case .stopping(let reason, _):
                emit(line("■", .boldYellow, "", "\(reason): stopping"), state: &state)
            case .serviceProbeStarted, .serviceProbeFinished:
                break
            }
        }
    }

    private func stepFinished(_ report: StepReport, state: inout State) {
        let reference = report.step.reference
        let duration = report.duration.map { " in \(DurationText.human($0))" } ?? ""
        var text: [UInt8] = []
        switch report.phase {
        case .succeeded where report.cache != nil:
            if configuration.mode != .quiet, let hit = report.cache {
                text += line("✓", .boldGreen, reference, "cached: \(hit.summary())")
            }
        case .succeeded:
            if configuration.mode == .grouped && report.step.kind == .task {
                text += groupedBlock(
                    OutputSource(kind: .task, reference: reference),
                    title: "\(reference): succeeded\(duration)",
                    collapsed: true
                )
            } else if configuration.mode != .quiet {
                let what =
                    report.step.kind == .service
                    ? "ready" : report.isFlaky ? "succeeded (flaky: \(report.attempts) attempts)" : "succeeded"
                text += line("✓", .boldGreen, reference, "\(what)\(duration)")
            }
        case .failed, .stopped:
            let word =
                report.phase == .stopped
                ? "stopped"
                : report.quarantine.map { "failed (\($0))" }
                    ?? (report.isWarning ? "failed (warning)" : "failed") + knownFlaky(reference)
            let message: String
            if case .stopped(let reason) = report.failure {
                message = ": \(reason?.description ?? "run stopped")"
            } else {
                message = report.failureMessage.map { ": \($0)" } ?? ""
            }
            if configuration.mode == .grouped && report.step.kind == .task {
                text += groupedBlock(
                    OutputSource(kind: .task, reference: reference),
                    title: "\(reference): \(word)\(duration)",
                    collapsed: false
                )
            }
            text += line(
                report.isWarning ? "!" : "✗",
                report.isWarning ? .boldYellow : .boldRed,
                reference,
                "\(word)\(message)\(duration)"
            )
            if configuration.githubActions && report.phase == .failed {
                text += Array(
                    GitHubActions.error(
                        title: "\(report.step.kind.rawValue) \(reference) \(word)",
                        message: report.failureMessage ?? word,
                        warning: report.isWarning,
                        at: configuration.definitions[reference]
                    ).utf8
                )
            }
        case .pending:
            if configuration.mode != .quiet {
                text += line("-", .yellow, reference, "not run: \(report.skipReason?.description ?? "skipped")")
            }
        case .running:
            break
        }
        if !text.isEmpty { emit(text, state: &state) } else { emitStatusOnly(state: &state) }
    }

    /// A service started through the CLI inside the run (no step of the plan): its start and readiness get lines
    /// as a planned service's step does.
    private func unplannedServiceChanged(_ reference: String, phase: ServicePhase, at: Date, state: inout State) {
        guard configuration.mode == .prefixed else { return }
        switch phase {
        case .starting:
            state.unplannedStarts[reference] = at
            emit(line("▶", .bold, reference, "started (service, through the CLI)"), state: &state)
        case .running:
            let took = state.unplannedStarts[reference].map {
                " in " + DurationText.human(.nanoseconds(Int64(at.timeIntervalSince($0) * 1e9)))
            }
            emit(line("✓", .boldGreen, reference, "ready\(took ?? "")"), state: &state)
        default:
            break
        }
    }

    private func serviceChanged(
        _ reference: String,
        phase: ServicePhase,
        failure: ServiceFailure?,
        reportedByItsStep: Bool,
        state: inout State
    ) {
        var text: [UInt8] = []
        switch phase {
        case .failed where !reportedByItsStep:
            text += line("✗", .boldRed, reference, "service failed: \(failure?.description ?? "no reason given")")
            if configuration.githubActions {
                text += Array(
                    GitHubActions.error(
                        title: "service \(reference) failed",
                        message: failure?.description ?? "failed",
                        warning: false,
                        at: configuration.definitions[reference]
                    ).utf8
                )
            }
        case .stopped where configuration.mode == .prefixed:
            text += line("■", .dim, reference, "service stopped")
        default:
            break
        }
        if phase.isFinal && configuration.mode == .grouped {
            text += groupedBlock(
                OutputSource(kind: .service, reference: reference),
                title: "\(reference) (service): \(phase.shortName)",
                collapsed: phase != .failed
            )
        }
        if !text.isEmpty { emit(text, state: &state) }
    }

    /// A step's log as one block: inside `::group::` under GitHub Actions, a collapsible section under GitLab CI
    /// (`collapsed` for steps that went well).
    private func groupedBlock(_ source: OutputSource, title: String, collapsed: Bool) -> [UInt8] {
        var block: [UInt8] = []
        let section = GitLabCI.sectionName(source)
        if configuration.githubActions {
            block += Array("::group::\(GitHubActions.escapeData(title))\n".utf8)
        } else if configuration.gitlabCI {
            block += Array(GitLabCI.sectionStart(section, title: title, collapsed: collapsed).utf8)
        } else {
            block += Array((ANSIStyle.bold.apply("── \(title) ──", if: configuration.color) + "\n").utf8)
        }
        var content = LogTail.read(path: logs.path(for: source), limit: Self.groupedBlockLimit)
        if !content.isEmpty && content.last != 0x0A { content.append(0x0A) }
        block += content
        if configuration.githubActions {
            block += Array("::endgroup::\n".utf8)
        } else if configuration.gitlabCI {
            block += Array(GitLabCI.sectionEnd(section).utf8)
        }
        return block
    }

    private func line(_ symbol: String, _ style: ANSIStyle, _ reference: String, _ message: String) -> [UInt8] {
        let padded = reference.isEmpty ? "" : Self.padded(reference, to: width) + " "
        return Array((style.apply(symbol, if: configuration.color) + " " + padded + message + "\n").utf8)
    }

    private static func padded(_ text: String, to width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    // MARK: - Writing and the status line

    private var usesStatusLine: Bool { configuration.statusLine }

    private func emit(_ text: [UInt8], state: inout State) {
        guard configuration.mode != .quiet || !text.isEmpty else { return }
        var bytes: [UInt8] = []
        if usesStatusLine && state.statusShown { bytes += Array("\r\u{1B}[K".utf8) }
        bytes += text
        if usesStatusLine {
            bytes += statusLine(state)
            state.statusShown = true
        }
        output.write(bytes)
    }

    private func emitStatusOnly(state: inout State) {
        guard usesStatusLine else { return }
        output.write(Array("\r\u{1B}[K".utf8) + statusLine(state))
        state.statusShown = true
    }

    private func statusLine(_ state: borrowing State) -> [UInt8] {
        let running = state.running.prefix(4).joined(separator: ", ") + (state.running.count > 4 ? ", …" : "")
        let text = "[\(state.finished)/\(total) done] " + (running.isEmpty ? "" : "running: \(running)")
        return Array(ANSIStyle.dim.apply(String(text.prefix(200)), if: configuration.color).utf8)
    }

    /// Clears the status line, before the summary.
    package func finish() {
        state.withLock { state in
            for (key, pending) in state.partial {
                emit(prefixed(pending, source: key.source, stream: key.stream), state: &state)
            }
            state.partial.removeAll()
            if usesStatusLine && state.statusShown {
                output.write(Array("\r\u{1B}[K".utf8))
                state.statusShown = false
            }
        }
    }
}

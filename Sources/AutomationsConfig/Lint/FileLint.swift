import AutomationsModel

/// The warnings of a file that is valid but will go wrong outside Gitpod or minutes into a run (``WarningRule``).
/// Each points at the offending value; none depends on the machine the file is checked on.
struct FileLint {
    let file: AutomationsFile
    let sources: LintSources
    /// The file's lines, for positions inside values and for how a plain scalar was written.
    let lines: [Substring]
    let displayPath: String

    init(file: AutomationsFile, sources: LintSources, text: String, displayPath: String) {
        self.file = file
        self.sources = sources
        self.lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            Substring($0)
        }
        self.displayPath = displayPath
    }

    /// Every warning of the file (not the trigger rule), in file order.
    func warnings() -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        for site in sources.commands {
            // Most commands have none of the shapes: the text is scanned only when it could have one.
            let needsScan =
                site.field == .ready || site.field == .start || ShellScan.mayContain(site.text, "/workspace")
                || (site.kind == .task && ShellScan.mayContain(site.text, "automations"))
            if needsScan {
                let scan = ShellScan(site.text)
                if site.field == .ready {
                    warnings += sleepingProbe(site, scan)
                    warnings += timeoutBelowSleep(site, scan)
                }
                warnings += workspacePaths(site, scan)
                if site.kind == .task { warnings += cliServiceStarts(site, scan) }
                if site.field == .start { warnings += backgroundedStart(site, scan) }
            }
            warnings += foldedPlainScalar(site)
        }
        return warnings.sortedByPosition()
    }

    // MARK: - Rules

    private func sleepingProbe(_ site: CommandSite, _ scan: ShellScan) -> [Diagnostic] {
        guard let (sleep, onlyCommand) = scan.leadingSleep() else { return [] }
        let message =
            onlyCommand
            ? "the ready probe only sleeps ('sleep \(sleep.written)'): it passes after that whether or not '"
                + "\(site.reference)' is ready; make it check the service (curl -fsS URL, pg_isready, test -f FILE)"
            : "the ready probe sleeps ('sleep \(sleep.written)') before it checks: every probe waits that long, so '"
                + "\(site.reference)' is seen ready that late every time; drop the sleep (the probe is repeated until "
                + "it passes)"
        return [
            warning(.sleepingReadyProbe, at: location(in: site, scan, offset: sleep.offset, needle: "sleep"), message)
        ]
    }

    private func timeoutBelowSleep(_ site: CommandSite, _ scan: ShellScan) -> [Diagnostic] {
        guard let timeout = file.service(site.reference)?.readinessTimeout, timeout > .zero,
            let longest = scan.sleeps().max(by: { $0.seconds < $1.seconds }),
            Double(timeout.milliseconds) <= longest.seconds * 1000
        else { return [] }
        let written = DurationText.secondsForProtoJSON(timeout)
        let place =
            sources.readinessTimeouts[site.reference]
            ?? location(in: site, scan, offset: longest.offset, needle: "sleep")
        return [
            warning(
                .readinessTimeoutBelowSleep,
                at: place,
                "readinessTimeout \(written) is not longer than the 'sleep \(longest.written)' in the ready probe of '"
                    + "\(site.reference)': no probe can pass in time, so the service always fails to start"
            )
        ]
    }

    private func workspacePaths(_ site: CommandSite, _ scan: ShellScan) -> [Diagnostic] {
        var seen: Set<String> = []
        return scan.workspacePaths().filter { seen.insert($0.path).inserted }.map { path, offset in
            warning(
                .workspacePath,
                at: location(in: site, scan, offset: offset, needle: path),
                "'\(path)' exists only inside a Gitpod environment; in CI commands run at the repository root: use a "
                    + "path relative to it"
            )
        }
    }

    private func cliServiceStarts(_ site: CommandSite, _ scan: ShellScan) -> [Diagnostic] {
        let starts = scan.cliServiceStarts()
        guard !starts.isEmpty else { return [] }
        let dependencies = transitiveDependencies(of: site.reference)
        var warnings: [Diagnostic] = []
        for start in starts {
            for service in start.references
            where file.service(service.name) != nil && !dependencies.contains(service.name) {
                warnings.append(
                    warning(
                        .serviceStartedThroughCLI,
                        at: location(in: site, scan, offset: start.offset, needle: start.program),
                        "'\(site.reference)' starts service '\(service.name)' through the CLI: nothing waits until it "
                            + "is ready or orders it; add dependsOn: [\(service.name)] (the run then starts it first "
                            + "and waits for its ready probe)"
                    )
                )
            }
        }
        return warnings
    }

    private func backgroundedStart(_ site: CommandSite, _ scan: ShellScan) -> [Diagnostic] {
        guard let (command, offset) = scan.backgroundedLastCommand() else { return [] }
        let shown = Self.shortened(command)
        return [
            warning(
                .backgroundedStart,
                at: location(in: site, scan, offset: offset, needle: String(command.prefix(20))),
                "the start command of '\(site.reference)' ends with '\(shown) &': it exits at once, so the service "
                    + "ends as soon as it starts and nothing supervises or stops the server; run it in the foreground "
                    + "(exec \(shown))"
            )
        ]
    }

    private func foldedPlainScalar(_ site: CommandSite) -> [Diagnostic] {
        guard site.style == .plain, !fitsOnItsLine(site), let firstLine = firstSourceLine(of: site) else { return [] }
        let value = site.text
        guard value.count > firstLine.count, value.hasPrefix(firstLine),
            value.dropFirst(firstLine.count).first == " "
        else { return [] }
        let shown = Self.shortened(value)
        return [
            warning(
                .foldedPlainCommand,
                at: site.location,
                "this \(site.key) goes on over several lines without '|', so YAML folds them into one line: '\(shown)'; "
                    + "write '\(site.key): |' to keep one command per line"
            )
        ]
    }

    // MARK: - Helpers

    private func warning(_ rule: WarningRule, at location: SourceLocation, _ message: String) -> Diagnostic {
        Self.warning(rule, Diagnostic(.warning, at: location, message))
    }

    /// `diagnostic` as a warning of `rule` (its code shown after the message).
    private static func warning(_ rule: WarningRule, _ diagnostic: Diagnostic) -> Diagnostic {
        var diagnostic = diagnostic
        diagnostic.code = rule.code
        return diagnostic
    }

    /// A command as quoted in a message: at most 60 characters.
    private static func shortened(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// The references `task` depends on, directly or through other tasks.
    private func transitiveDependencies(of task: String) -> Set<String> {
        var found: Set<String> = []
        var pending = file.task(task)?.dependsOn ?? []
        while let next = pending.popLast() {
            guard found.insert(next).inserted else { continue }
            pending += file.task(next)?.dependsOn ?? []
        }
        return found
    }

    /// Whether the value is written whole on its first line (the usual case, told without building anything).
    private func fitsOnItsLine(_ site: CommandSite) -> Bool {
        guard site.location.line >= 1, site.location.line <= lines.count else { return true }
        let line = lines[site.location.line - 1].unicodeScalars
        guard let start = line.index(line.startIndex, offsetBy: site.location.column - 1, limitedBy: line.endIndex)
        else { return true }
        return line[start...].starts(with: site.text.unicodeScalars)
    }

    /// What a plain scalar holds on its first line: from its start to the end of the line or a comment.
    private func firstSourceLine(of site: CommandSite) -> String? {
        guard site.location.line >= 1, site.location.line <= lines.count else { return nil }
        let scalars = Array(lines[site.location.line - 1].unicodeScalars)
        guard site.location.column >= 1, site.location.column <= scalars.count else { return nil }
        var part = Array(scalars[(site.location.column - 1)...])
        if let comment = part.indices.first(where: { part[$0] == "#" && $0 > 0 && part[$0 - 1] == " " }) {
            part = Array(part[..<comment])
        }
        while let last = part.last, last == " " || last == "\t" || last == "\r" { part.removeLast() }
        return String(String.UnicodeScalarView(part))
    }

    /// Where the text at `offset` of a command is in the file, when that can be told exactly (a value on one line,
    /// or a `|` block); otherwise where the value starts.
    func location(in site: CommandSite, _ scan: ShellScan, offset: Int, needle: String) -> SourceLocation {
        let (line, column) = scan.lineAndColumn(of: offset)
        var candidate: (line: Int, column: Int)?
        switch site.style {
        case .literal:
            let first = site.location.line + 1
            if let indentation = blockIndentation(from: first) {
                candidate = (first + line, indentation + column + 1)
            }
        case .plain, .singleQuoted, .doubleQuoted:
            if line == 0 {
                candidate = (site.location.line, site.location.column + column + (site.style == .plain ? 0 : 1))
            }
        case .folded:
            break
        }
        guard let candidate, candidate.line >= 1, candidate.line <= lines.count else { return site.location }
        let scalars = Array(lines[candidate.line - 1].unicodeScalars)
        let wanted = Array(needle.unicodeScalars)
        let start = candidate.column - 1
        guard start >= 0, start + wanted.count <= scalars.count, Array(scalars[start..<start + wanted.count]) == wanted
        else { return site.location }
        return SourceLocation(file: displayPath, line: candidate.line, column: candidate.column)
    }

    /// The indentation of a block scalar's content: that of its first line that is not blank.
    private func blockIndentation(from line: Int) -> Int? {
        var index = line
        while index >= 1, index <= lines.count {
            let text = lines[index - 1]
            if !text.allSatisfy({ $0 == " " || $0 == "\r" }) { return text.prefix { $0 == " " }.count }
            index += 1
        }
        return nil
    }
}

extension FileLint {
    /// AU007: the services and tasks that nothing starts in a run with `--trigger trigger` (not triggered by it, and
    /// no dependency of one that is).
    static func unreachable(in file: AutomationsFile, trigger: Trigger, displayPath: String) -> [Diagnostic] {
        var reachable: Set<String> = []
        var pending =
            file.services.filter { $0.triggeredBy.contains(trigger) }.map(\.reference)
            + file.tasks.filter { $0.triggeredBy.contains(trigger) }.map(\.reference)
        while let next = pending.popLast() {
            guard reachable.insert(next).inserted else { continue }
            pending += file.task(next)?.dependsOn ?? []
        }
        let items =
            file.services.map { ("service", $0.reference, $0.location) }
            + file.tasks.map { ("task", $0.reference, $0.location) }
        return items.filter { !reachable.contains($0.1) }.map { kind, reference, location in
            let message =
                "\(kind) '\(reference)' never runs with --trigger \(trigger.rawValue): it does not have that trigger "
                + "and nothing that has it depends on it"
            let diagnostic =
                location.map { place -> Diagnostic in
                    var place = place
                    place.file = displayPath
                    return Diagnostic(.warning, at: place, message)
                } ?? Diagnostic(.warning, file: displayPath, message)
            return warning(.unreachableWithTrigger, diagnostic)
        }.sortedByPosition()
    }
}

package import AutomationsModel
package import AutomationsRuntime
import Synchronization

/// Replaces secret values with `***` in everything a run shows or writes: step output (as it streams, including a
/// secret split across two reads), messages, and reports.
package final class SecretMasker: RuntimeObserver {
    package static let replacement: [UInt8] = Array("***".utf8)

    private let secrets: [[UInt8]]
    private let firstBytes: Set<UInt8>
    private let downstream: any RuntimeObserver

    private struct Key: Hashable {
        var source: OutputSource
        var stream: OutputStreamKind
    }

    /// Bytes held back per stream because they may be the start of a secret.
    private let carry = Mutex<[Key: [UInt8]]>([:])

    /// Masks `secrets` (empty values are ignored) in what it passes on to `downstream`.
    package init(secrets: [String], downstream: any RuntimeObserver) {
        let values = Set(secrets.filter { !$0.isEmpty }).map { Array($0.utf8) }
        self.secrets = values.sorted { $0.count > $1.count }
        self.firstBytes = Set(values.compactMap(\.first))
        self.downstream = downstream
    }

    // MARK: - Strings

    /// `text` with every secret replaced.
    package func mask(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        let (masked, _) = mask(Array(text.utf8), holdingPartial: false)
        return String(decoding: masked, as: UTF8.self)
    }

    /// Every message of `report` masked.
    package func mask(_ report: ExecutionReport) -> ExecutionReport {
        guard !secrets.isEmpty else { return report }
        var report = report
        report.steps = report.steps.map(mask)
        report.services = report.services.map { service in
            var service = service
            service.failure = service.failure.map { $0.mapText(mask) }
            return service
        }
        return report
    }

    private func mask(_ step: StepReport) -> StepReport {
        var step = step
        step.failure = step.failure.map { $0.mapText(mask) }
        step.failedAttempts = step.failedAttempts.map { attempt in
            var attempt = attempt
            attempt.failure = attempt.failure.mapText(mask)
            attempt.output = mask(attempt.output)
            return attempt
        }
        return step
    }

    /// Replaces whole secrets; with `holdingPartial`, stops where the rest of the bytes could be the start of a
    /// secret and returns the index of that rest.
    private func mask(_ data: [UInt8], holdingPartial: Bool) -> (masked: [UInt8], heldFrom: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var index = 0
        scanning: while index < data.count {
            if firstBytes.contains(data[index]) {
                for secret in secrets where data[index] == secret[0] {
                    let available = min(secret.count, data.count - index)
                    guard data[index..<(index + available)].elementsEqual(secret[0..<available]) else { continue }
                    if available == secret.count {
                        output += Self.replacement
                        index += secret.count
                        continue scanning
                    }
                    if holdingPartial { break scanning }
                }
            }
            output.append(data[index])
            index += 1
        }
        return (output, index)
    }

    // MARK: - Observer

    package func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        guard !secrets.isEmpty else {
            downstream.output(from: source, stream: stream, bytes: bytes)
            return
        }
        let key = Key(source: source, stream: stream)
        let masked = carry.withLock { carry -> [UInt8] in
            let data = (carry[key] ?? []) + Array(bytes)
            let (masked, heldFrom) = mask(data, holdingPartial: true)
            carry[key] = heldFrom < data.count ? Array(data[heldFrom...]) : nil
            return masked
        }
        if !masked.isEmpty { masked.withUnsafeBytes { downstream.output(from: source, stream: stream, bytes: $0) } }
    }

    package func record(_ event: RuntimeEvent) {
        guard !secrets.isEmpty else {
            downstream.record(event)
            return
        }
        switch event {
        case .stepFinished(let report):
            flushHeld { $0.source.reference == report.step.reference && $0.source.kind == report.step.kind }
            downstream.record(.stepFinished(mask(report)))
        case .servicePhaseChanged(let reference, let phase, let version, let at, let failure):
            if phase.isFinal { flushHeld { $0.source.reference == reference && $0.source.kind == .service } }
            downstream.record(
                .servicePhaseChanged(
                    reference: reference,
                    phase: phase,
                    statusVersion: version,
                    at: at,
                    failure: failure.map { $0.mapText(mask) }
                )
            )
        case .serviceProbeFinished(let reference, _, _, _):
            flushHeld { $0.source.reference == reference && $0.source.part == .ready }
            downstream.record(event)
        default:
            downstream.record(event)
        }
    }

    /// Passes on everything held back (the run ended, so no secret can complete).
    package func flush() {
        flushHeld { _ in true }
    }

    /// Passes on what was held back for the matching streams: their command ended, so no secret can complete.
    private func flushHeld(_ matches: (Key) -> Bool) {
        let held = carry.withLock { carry -> [(Key, [UInt8])] in
            let held = carry.filter { matches($0.key) }.map { ($0.key, $0.value) }
            for (key, _) in held { carry[key] = nil }
            return held
        }
        for (key, bytes) in held {
            bytes.withUnsafeBytes { downstream.output(from: key.source, stream: key.stream, bytes: $0) }
        }
    }
}

package import AutomationsModel
package import AutomationsRuntime
import Synchronization

/// Records every event and the output per source.
package final class RecordingObserver: RuntimeObserver {
    package init() {}

    private let state = Mutex<(events: [RuntimeEvent], output: [OutputSource: [UInt8]])>(([], [:]))

    package func record(_ event: RuntimeEvent) {
        state.withLock { $0.events.append(event) }
    }

    package func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        state.withLock { $0.output[source, default: []].append(contentsOf: bytes) }
    }

    package var events: [RuntimeEvent] { state.withLock { $0.events } }

    package func outputText(_ source: OutputSource) -> String {
        String(decoding: state.withLock { $0.output[source] ?? [] }, as: UTF8.self)
    }

    /// The phases of `reference` in the order they were reported, with their status versions.
    package func phases(of reference: String) -> [(ServicePhase, UInt64)] {
        events.compactMap { event in
            if case .servicePhaseChanged(reference, let phase, let version, _, _) = event { return (phase, version) }
            return nil
        }
    }

    package func probeCount(of reference: String) -> Int {
        events.filter { event in
            if case .serviceProbeFinished(reference, _, _, _) = event { return true }
            return false
        }.count
    }
}

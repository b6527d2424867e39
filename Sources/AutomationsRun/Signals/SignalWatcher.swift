import CAutomationsSystem
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into calls of a handler, instead of ending the process: the run stops in
/// order and writes its reports. Children get default signal handling back when they are spawned.
package final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    package init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], handler: @escaping @Sendable (Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        // A signal that came before the sources (see EntryPoint) is handled now.
        let early = automations_early_stop_signal()
        if early != 0 { handler(early) }
    }

    package func cancel() {
        for source in sources { source.cancel() }
    }

    /// Keeps a stop signal that comes before a run watches signals (its first milliseconds), so that the run still
    /// stops in order: called first thing by a process that will run.
    package static func keepEarlyStopSignals() {
        automations_catch_early_stop_signals()
    }
}

public import AutomationsModel

/// Receives what the runtime reports: events, and the output of every command with its source.
///
/// Both methods may be called from any thread, output on the runtime's I/O thread; implementations must be
/// thread-safe and quick.
public protocol RuntimeObserver: Sendable {
    func record(_ event: RuntimeEvent)
    func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer)
}

/// Ignores everything.
public struct SilentRuntimeObserver: RuntimeObserver {
    public init() {}
    public func record(_ event: RuntimeEvent) {}
    public func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {}
}

/// Forwards a command's output to an observer, tagged with its source.
struct ObservedOutputSink: CommandOutputSink {
    let observer: any RuntimeObserver
    let source: OutputSource

    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        observer.output(from: source, stream: stream, bytes: bytes)
    }
}

/// Sends output to several sinks in turn.
struct TeeOutputSink: CommandOutputSink {
    let sinks: [any CommandOutputSink]

    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        for sink in sinks { sink.receive(bytes, from: stream) }
    }
}

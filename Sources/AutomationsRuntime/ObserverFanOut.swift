public import AutomationsModel

/// Sends every event and all output to several observers, in order.
public struct ObserverFanOut: RuntimeObserver {
    public var observers: [any RuntimeObserver]

    public init(_ observers: [any RuntimeObserver]) {
        self.observers = observers
    }

    public func record(_ event: RuntimeEvent) {
        for observer in observers { observer.record(event) }
    }

    public func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        for observer in observers { observer.output(from: source, stream: stream, bytes: bytes) }
    }
}

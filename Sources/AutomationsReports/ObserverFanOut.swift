package import AutomationsModel
package import AutomationsRuntime

/// Sends every event and all output to several observers, in order.
package struct ObserverFanOut: RuntimeObserver {
    package var observers: [any RuntimeObserver]

    package init(_ observers: [any RuntimeObserver]) {
        self.observers = observers
    }

    package func record(_ event: RuntimeEvent) {
        for observer in observers { observer.record(event) }
    }

    package func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {
        for observer in observers { observer.output(from: source, stream: stream, bytes: bytes) }
    }
}

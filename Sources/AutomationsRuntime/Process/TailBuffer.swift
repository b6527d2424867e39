import Synchronization

/// Keeps the last bytes a command printed (both streams), for failure messages.
final class TailBuffer: CommandOutputSink {
    private let capacity: Int
    private let bytes = Mutex<[UInt8]>([])

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func receive(_ buffer: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        bytes.withLock { bytes in
            bytes.append(contentsOf: buffer.suffix(capacity))
            if bytes.count > capacity { bytes.removeFirst(bytes.count - capacity) }
        }
    }

    /// Everything kept, as text (invalid UTF-8 replaced).
    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

    /// The last `lines` non-empty lines, as text (invalid UTF-8 replaced), or the empty string.
    func lastLines(_ lines: Int = 3) -> String {
        let text = String(decoding: bytes.withLock { $0 }, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).suffix(lines).joined(separator: "\n")
    }
}

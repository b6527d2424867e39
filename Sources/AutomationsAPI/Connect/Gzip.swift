import AutomationsModel
import CZlib

/// Inflates gzip (or zlib) request bodies, with a cap on the inflated size.
enum Gzip {
    /// - Throws: ``ConnectError`` `invalid_argument` for a corrupt body, `resource_exhausted` past `limit`.
    static func inflate(_ compressed: [UInt8], limit: Int) throws(ConnectError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ConnectError(.internal, "cannot start inflating the request body")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = compressed
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let result = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return Z_MEM_ERROR }
                if result == Z_STREAM_END { return Z_OK }
                if result != Z_OK { return result }
                if stream.avail_in == 0 && produced == 0 { return Z_DATA_ERROR }
            }
        }
        if status == Z_MEM_ERROR {
            throw ConnectError(.resourceExhausted, "the inflated request body is larger than \(limit) bytes")
        }
        guard status == Z_OK else { throw ConnectError(.invalidArgument, "the gzip request body is corrupt") }
        return output
    }
}

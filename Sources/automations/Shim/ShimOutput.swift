import AutomationsReports
import Foundation
import SwiftProtobuf

/// What the CLI stand-in prints: tables like Gitpod's CLI, JSON with `-o json`, errors on standard error.
enum ShimOutput {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    }

    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// A table with a header row, columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var table = TextTable(header: header)
        table.rows = rows
        return table.render()
    }

    /// An API message as the JSON object proto3 JSON makes of it.
    static func jsonObject(_ message: some SwiftProtobuf.Message) -> [String: Any] {
        guard let data = try? message.jsonUTF8Data(),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object
    }

    /// JSON text of an array of objects, one per item, keys sorted.
    static func json(_ items: [[String: Any]]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])
        else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}

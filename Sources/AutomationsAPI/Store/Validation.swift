import AutomationsModel
import Foundation
import GitpodAPI
import SwiftProtobuf

/// The request checks the public schema states (buf.validate rules), as `invalid_argument` errors.
enum Validation {
    static func uuid(_ value: String, field: String) throws(ConnectError) {
        guard UUID(uuidString: value) != nil else {
            throw ConnectError(.invalidArgument, "\(field) must be a UUID, found '\(value)'")
        }
    }

    /// A reference of a new service or task, by ``FileRules``.
    static func reference(_ value: String, kind: StepKind, field: String = "metadata.reference") throws(ConnectError) {
        if let problem = FileRules.referenceProblems(value, kind: kind).first {
            throw ConnectError(.invalidArgument, "\(field): \(problem.message)")
        }
    }

    /// Page size: 0 means the default (25); more than 100 is refused.
    static func pageSize(_ size: Int32) throws(ConnectError) -> Int {
        guard size >= 0, size <= 100 else {
            throw ConnectError(.invalidArgument, "pagination.pageSize must be between 0 and 100, found \(size)")
        }
        return size == 0 ? 25 : Int(size)
    }

    /// A filter list holds at most 25 entries.
    static func filter<T>(_ values: [T], field: String) throws(ConnectError) {
        guard values.count <= 25 else {
            throw ConnectError(.invalidArgument, "\(field) holds at most 25 entries, found \(values.count)")
        }
    }
}

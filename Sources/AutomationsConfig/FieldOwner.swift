/// Names the object a field belongs to, for messages: `command of task 'build'`, `unknown key … in task 'build'`.
struct FieldOwner {
    /// The item, such as `task 'build'`; empty at the top level.
    var item: String
    /// The path of nested mappings inside the item, such as `commands` or `runsOn.docker`; empty for the item itself.
    var path: String

    static let topLevel = FieldOwner(item: "", path: "")

    static func task(_ reference: String) -> FieldOwner { FieldOwner(item: "task '\(reference)'", path: "") }
    static func service(_ reference: String) -> FieldOwner { FieldOwner(item: "service '\(reference)'", path: "") }

    /// The owner of the fields of the nested mapping `key`.
    func nested(_ key: String) -> FieldOwner { FieldOwner(item: item, path: path.isEmpty ? key : "\(path).\(key)") }

    /// `commands.start of service 'db'`, or just `services` at the top level.
    func field(_ name: String) -> String {
        let dotted = path.isEmpty ? name : "\(path).\(name)"
        return item.isEmpty ? dotted : "\(dotted) of \(item)"
    }

    /// `task 'build'`, `commands of service 'db'`.
    var name: String { path.isEmpty ? item : "\(path) of \(item)" }

    /// `in task 'build'`, `in commands of service 'db'`, `at the top level`.
    var location: String {
        if item.isEmpty { return "at the top level" }
        return path.isEmpty ? "in \(item)" : "in \(path) of \(item)"
    }
}

import Foundation

/// Finds the automations file the way Gitpod and Ona lay it out.
public enum AutomationsFileLocator {
    /// The places searched in each directory, in order.
    public static let candidates = [
        ".gitpod/automations.yaml",
        ".gitpod/automations.yml",
        ".ona/automations.yaml",
        ".ona/automations.yml",
    ]

    /// The first candidate that exists in `directory` or in one of its parents, nearest first.
    public static func locate(from directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            for candidate in candidates {
                let path = current.appendingPathComponent(candidate).path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    return path
                }
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// The directory commands run in for a file at `path`: the folder that holds its `.gitpod` or `.ona` folder,
    /// or else the file's own folder.
    public static func rootDirectory(forFileAt path: String) -> String {
        let file = URL(fileURLWithPath: path).standardizedFileURL
        let folder = file.deletingLastPathComponent()
        if [".gitpod", ".ona"].contains(folder.lastPathComponent) {
            return folder.deletingLastPathComponent().path
        }
        return folder.path
    }
}

/// The exit statuses a pipeline can rely on.
enum ExitStatus {
    static let success: Int32 = 0
    static let failed: Int32 = 1
    static let invalidInput: Int32 = 2
}

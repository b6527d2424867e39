/// What a reference (the map key of a service or task) may be: `^[a-zA-Z0-9_-]{1,128}$`. It names log files too,
/// so nothing else may pass.
public enum ReferenceSyntax {
    public static func isValid(_ reference: String) -> Bool {
        let utf8 = reference.utf8
        return (1...128).contains(utf8.count)
            && utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}

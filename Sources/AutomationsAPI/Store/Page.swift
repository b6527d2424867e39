import AutomationsModel

/// One page of a list: the token is the offset of the next item, as a decimal string (empty when done).
struct Page<Item> {
    var items: [Item]
    var nextToken: String

    /// The page of `all` that starts at `token` and holds at most `size` items.
    /// - Throws: ``ConnectError`` `invalid_argument` for a token that is not one of ours.
    init(_ all: [Item], token: String, size: Int) throws(ConnectError) {
        let start: Int
        if token.isEmpty {
            start = 0
        } else if let offset = Int(token), offset >= 0, offset <= all.count {
            start = offset
        } else {
            throw ConnectError(.invalidArgument, "pagination.token '\(token)' is not a token this server gave")
        }
        let end = min(all.count, start + size)
        items = Array(all[start..<end])
        nextToken = end < all.count ? String(end) : ""
    }
}

/// "Did you mean …?" suggestions for misspelt keys and references.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = Array(word.lowercased().unicodeScalars)
        guard !lowered.isEmpty, lowered.count <= 256 else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let lowerCandidate = candidate.lowercased()
            let lowerWord = word.lowercased()
            if min(lowerCandidate.count, lowerWord.count) >= 3,
                lowerCandidate.hasPrefix(lowerWord) || lowerWord.hasPrefix(lowerCandidate)
            {
                // `readyness` → `ready`, `env` → `environment`: a prefix is a likelier intent than a near spelling.
                let distance = abs(lowerCandidate.count - lowerWord.count)
                if best == nil || distance < best!.distance { best = (candidate, distance) }
                continue
            }
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - lowered.count) <= 3 else { continue }
            let distance = editDistance(lowered, other)
            let allowed = max(1, min(3, max(lowered.count, other.count) / 3))
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// ` (did you mean 'x'?)` or the empty string.
    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String {
        didYouMean(closest(to: word, in: candidates))
    }

    /// ` (did you mean 'x'?)` for a suggestion, or the empty string for none.
    public static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance, counting an adjacent transposition as one edit.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}

extension Suggestion {
    /// `did you mean 'x'?` when a candidate is close, else `otherwise` (such as `use one of a, b`).
    public static func hint(for word: String, in candidates: [String], otherwise: String) -> String {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" } ?? otherwise
    }

    /// `did you mean 'x'?` when a candidate is close, else `use one of a, b, c`.
    public static func hint(for word: String, oneOf candidates: [String]) -> String {
        hint(for: word, in: candidates, otherwise: "use one of \(candidates.joined(separator: ", "))")
    }
}

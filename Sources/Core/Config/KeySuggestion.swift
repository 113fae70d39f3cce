/// "Did you mean ...?" suggestions for misspelt keys.
enum KeySuggestion {
    /// The candidate closest to `key` by case-insensitive edit distance, when close enough to be a likely typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        let target = Array(key.lowercased())
        let scored = candidates.map { (candidate: $0, distance: distance(target, Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(2, target.count / 3) ? best.candidate : nil
    }

    /// " (did you mean 'x'?)" or "".
    static func hint(for key: String, among candidates: [String]) -> String {
        closest(to: key, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

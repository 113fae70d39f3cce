/// Where two timelines first differ, described for a failure message; nil when they are equal.
func firstDifference(_ actual: [Int16], _ expected: [Int16]) -> String? {
    if actual == expected { return nil }
    let shared = min(actual.count, expected.count)
    for i in 0..<shared where actual[i] != expected[i] {
        return "sample \(i) (\(Double(i) / 8000) s): got \(actual[i]), expected \(expected[i]); lengths \(actual.count) vs \(expected.count)"
    }
    return "lengths differ: got \(actual.count) samples, expected \(expected.count)"
}

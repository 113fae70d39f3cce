/// The `a=fmtp` parameters of a format (`octet-align=1; mode-set=0,2,5,7`): names lower-cased, values as
/// written, blanks around either dropped. A parameter without `=` has the value "".
public struct FormatParameters: Sendable {
    private var entries: [(name: String, value: String)] = []

    public init(_ text: String?) {
        guard let text else { return }
        for item in text.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard let name = pair.first?.trimmingBlanks, !name.isEmpty else { continue }
            entries.append((name.lowercased(), pair.count > 1 ? pair[1].trimmingBlanks : ""))
        }
    }

    /// The first value of `name` (lower case), or nil when absent.
    public subscript(name: String) -> String? {
        entries.first { $0.name == name }?.value
    }
}

extension Substring {
    fileprivate var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

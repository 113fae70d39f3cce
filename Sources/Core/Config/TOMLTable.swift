/// A TOML table: keys in document order, each remembering the line it was defined on.
///
/// Equality ignores order and line numbers: two tables are equal when they hold the same keys
/// with equal values, which is what TOML itself means by "the same table".
public struct TOMLTable: Sendable, Equatable, Sequence {
    /// One key of the table with its value and the 1-based line it was defined on (0 when built in code).
    public struct Entry: Sendable {
        /// The key, unquoted.
        public let key: String
        /// The value.
        public var value: TOMLValue
        /// The 1-based source line, or 0 when the entry was not parsed from text.
        public let line: Int
    }

    private var entries: [Entry] = []
    private var indexByKey: [String: Int] = [:]

    /// Creates an empty table.
    public init() {}

    /// Creates a table from key-value pairs in order; later duplicates replace earlier ones.
    public init(_ pairs: KeyValuePairs<String, TOMLValue>) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The keys in document order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of keys.
    public var count: Int { entries.count }

    /// True when the table has no keys.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`. Setting `nil` removes the key; setting a new key appends it.
    public subscript(key: String) -> TOMLValue? {
        get { indexByKey[key].map { entries[$0].value } }
        set {
            if let newValue { updateValue(newValue, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// The 1-based line `key` was defined on, if it was parsed from text.
    public func line(forKey key: String) -> Int? {
        guard let index = indexByKey[key], entries[index].line > 0 else { return nil }
        return entries[index].line
    }

    /// Sets `value` for `key`, keeping the key's position (and line) when it already exists.
    public mutating func updateValue(_ value: TOMLValue, forKey key: String, line: Int = 0) {
        if let index = indexByKey[key] {
            entries[index].value = value
        } else {
            indexByKey[key] = entries.count
            entries.append(Entry(key: key, value: value, line: line))
        }
    }

    /// Removes `key` and returns its value, if it was present.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> TOMLValue? {
        guard let index = indexByKey.removeValue(forKey: key) else { return nil }
        let removed = entries.remove(at: index)
        for position in index..<entries.count { indexByKey[entries[position].key] = position }
        return removed.value
    }

    /// Iterates the entries in document order.
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }
}

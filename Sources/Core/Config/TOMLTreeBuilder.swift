/// Assembles parsed key-values and table headers into a `TOMLTable`, enforcing TOML's
/// "define once" rules: no duplicate keys, no table defined twice, no extending inline tables
/// or values, dotted keys and `[headers]` not reopening each other's tables.
///
/// Paths inside an array of tables always refer to its last element; when a new element is
/// appended every remembered path below it is forgotten, so each element starts fresh.
struct TOMLTreeBuilder {
    /// The document built so far.
    private(set) var root = TOMLTable()
    /// Tables opened by a `[header]`.
    private var headerTables: Set<[String]> = []
    /// Tables created implicitly by dotted keys (`a.b = 1` creates `a`).
    private var dottedTables: Set<[String]> = []
    /// Keys assigned with `key = value` (including inline tables and static arrays): sealed.
    private var assigned: Set<[String]> = []
    /// Arrays created by `[[header]]`.
    private var tableArrays: Set<[String]> = []

    /// Handles `[path]`.
    mutating func defineTable(_ path: [String], line: Int) throws(TOMLError) {
        try checkExtensible(prefixesOf: path, line: line)
        let name = Self.display(path)
        if headerTables.contains(path) {
            throw TOMLError(line: line, message: "table [\(name)] is defined more than once")
        }
        if dottedTables.contains(path) || assigned.contains(path) {
            throw TOMLError(line: line, message: "table [\(name)] was already defined with a key assignment")
        }
        if tableArrays.contains(path) {
            throw TOMLError(line: line, message: "[\(name)] is an array of tables; use [[\(name)]]")
        }
        try Self.withTable(&root, path[...], line: line) { (_: inout TOMLTable) throws(TOMLError) in }
        headerTables.insert(path)
    }

    /// Handles `[[path]]`: appends a new empty table to the array at `path`.
    mutating func appendTableArrayElement(_ path: [String], line: Int) throws(TOMLError) {
        try checkExtensible(prefixesOf: path, line: line)
        let name = Self.display(path)
        let parent = path.dropLast()
        let key = path[path.count - 1]
        let isKnownArray = tableArrays.contains(path)
        try Self.withTable(&root, parent, line: line) { (table: inout TOMLTable) throws(TOMLError) in
            switch table[key] {
            case nil:
                table.updateValue(.array([.table(TOMLTable())]), forKey: key, line: line)
            case .array(var elements) where isKnownArray:
                elements.append(.table(TOMLTable()))
                table.updateValue(.array(elements), forKey: key)
            case let existing?:
                throw TOMLError(line: line, message: "cannot define [[\(name)]]: '\(name)' is already \(existing.typeDescription)")
            }
        }
        tableArrays.insert(path)
        for set in [\Self.headerTables, \Self.dottedTables, \Self.assigned, \Self.tableArrays] {
            self[keyPath: set] = self[keyPath: set].filter { !($0.count > path.count && $0.starts(with: path)) }
        }
    }

    /// Handles `keys = value` inside the table at `base`.
    mutating func assign(_ keys: [String], _ value: TOMLValue, in base: [String], line: Int) throws(TOMLError) {
        let full = base + keys
        for depth in base.count + 1..<full.count {
            let prefix = Array(full[..<depth])
            if assigned.contains(prefix) || (lookup(prefix) != nil && !dottedTables.contains(prefix)) {
                throw TOMLError(line: line, message: "cannot add key '\(Self.display(full))': '\(Self.display(prefix))' is already defined elsewhere")
            }
            dottedTables.insert(prefix)
        }
        let key = full[full.count - 1]
        try Self.withTable(&root, full.dropLast(), line: line) { (table: inout TOMLTable) throws(TOMLError) in
            if table[key] != nil {
                throw TOMLError(line: line, message: "duplicate key '\(Self.display(full))'")
            }
            table.updateValue(value, forKey: key, line: line)
        }
        assigned.insert(full)
    }

    /// Rejects headers that would reach into an inline table, a static array or a plain value.
    private func checkExtensible(prefixesOf path: [String], line: Int) throws(TOMLError) {
        for depth in 1..<max(path.count, 1) where assigned.contains(Array(path[..<depth])) {
            throw TOMLError(line: line, message: "cannot define [\(Self.display(path))]: '\(Self.display(Array(path[..<depth])))' is a value and cannot be extended")
        }
    }

    /// The value at `path`, descending into the last element of arrays of tables.
    private func lookup(_ path: [String]) -> TOMLValue? {
        var current: TOMLValue = .table(root)
        for key in path {
            if case .array(let elements) = current, let last = elements.last { current = last }
            guard let table = current.tableValue, let next = table[key] else { return nil }
            current = next
        }
        return current
    }

    /// Runs `body` on the table at `path`, creating missing tables and descending into the
    /// last element of arrays of tables.
    private static func withTable(
        _ table: inout TOMLTable, _ path: ArraySlice<String>, line: Int,
        _ body: (inout TOMLTable) throws(TOMLError) -> Void
    ) throws(TOMLError) {
        guard let key = path.first else { return try body(&table) }
        let rest = path.dropFirst()
        switch table[key] {
        case nil:
            var child = TOMLTable()
            try withTable(&child, rest, line: line, body)
            table.updateValue(.table(child), forKey: key, line: line)
        case .table(var child):
            try withTable(&child, rest, line: line, body)
            table.updateValue(.table(child), forKey: key)
        case .array(var elements) where elements.last?.tableValue != nil:
            guard case .table(var child) = elements[elements.count - 1] else { return }
            try withTable(&child, rest, line: line, body)
            elements[elements.count - 1] = .table(child)
            table.updateValue(.array(elements), forKey: key)
        case let existing?:
            throw TOMLError(line: line, message: "key '\(key)' is already \(existing.typeDescription) and cannot hold sub-keys")
        }
    }

    /// A dotted path for messages.
    static func display(_ path: [String]) -> String { path.joined(separator: ".") }
}

/// `siprecd config check`: every error of a file, not only the first.
extension SiprecdConfig {
    /// All the problems of a configuration text, by line, each with its line and key.
    ///
    /// A TOML syntax error ends the check (what follows it cannot be read reliably). Otherwise the file is
    /// loaded; each error removes the key (or section) it names, by line, and loading starts again, so one
    /// wrong value does not hide the next. An error that names no line (a rule spanning keys) ends it.
    public static func problems(toml: String, over base: SiprecdConfig = .defaults) -> [ConfigError] {
        var root: TOMLTable
        do {
            root = try TOMLParser.parse(toml)
        } catch {
            return [ConfigError(error)]
        }
        var found: [ConfigError] = []
        for _ in 0..<200 {
            do {
                _ = try parse(root: root, over: base)
                break
            } catch {
                found.append(error)
                guard let line = error.line, root.removeEntry(atLine: line) else { break }
            }
        }
        return found.sorted { ($0.line ?? Int.max) < ($1.line ?? Int.max) }
    }
}

extension TOMLTable {
    /// Removes the entry defined on `line`, searching nested tables and arrays of tables; true if one was.
    mutating func removeEntry(atLine line: Int) -> Bool {
        for entry in self {
            if entry.line == line {
                removeValue(forKey: entry.key)
                return true
            }
        }
        for entry in self {
            switch entry.value {
            case .table(var table):
                if table.removeEntry(atLine: line) {
                    updateValue(.table(table), forKey: entry.key)
                    return true
                }
            case .array(var items):
                for index in items.indices {
                    guard case .table(var table) = items[index], table.removeEntry(atLine: line) else { continue }
                    items[index] = .table(table)
                    updateValue(.array(items), forKey: entry.key)
                    return true
                }
            default:
                continue
            }
        }
        return false
    }
}

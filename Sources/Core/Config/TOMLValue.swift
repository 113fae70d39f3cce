/// One TOML value. Dates and times are not part of siprecd's configuration and are rejected by the parser.
public enum TOMLValue: Sendable, Equatable {
    /// A basic, literal or multi-line string, escapes already resolved.
    case string(String)
    /// A decimal, hexadecimal, octal or binary integer.
    case integer(Int64)
    /// A floating-point number, including `inf` and `nan`.
    case float(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// An array; TOML 1.0 allows mixed element types.
    case array([TOMLValue])
    /// A `[table]`, dotted-key table, inline table or one element of an `[[array.of.tables]]`.
    case table(TOMLTable)

    /// The TOML name of this value's type with an article, for error messages ("an integer").
    public var typeDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The string, when this is a `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The integer, when this is an `.integer`.
    public var integerValue: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The number, when this is a `.float` or an `.integer`.
    public var doubleValue: Double? {
        switch self {
        case .float(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The boolean, when this is a `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The elements, when this is an `.array`.
    public var arrayValue: [TOMLValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The table, when this is a `.table`.
    public var tableValue: TOMLTable? {
        if case .table(let value) = self { value } else { nil }
    }

    /// True for a non-empty array whose elements are all tables (an array of tables).
    var isArrayOfTables: Bool {
        guard case .array(let elements) = self, !elements.isEmpty else { return false }
        return elements.allSatisfy { $0.tableValue != nil }
    }
}

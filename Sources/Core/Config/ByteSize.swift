/// Byte sizes in configuration files: an integer with an optional unit. Decimal units
/// (`kB`, `MB`, `GB`, `TB`) are powers of 1000; binary units (`KiB`, `MiB`, `GiB`, `TiB`) powers of 1024.
/// Examples: `0`, `4096`, `100kB`, `512MB`, `1GiB`.
public enum ByteSize {
    private static let units: [(suffix: String, factor: Int64)] = [
        ("TiB", 1 << 40), ("TB", 1_000_000_000_000), ("GiB", 1 << 30), ("GB", 1_000_000_000),
        ("MiB", 1 << 20), ("MB", 1_000_000), ("KiB", 1 << 10), ("kB", 1_000), ("KB", 1_000), ("B", 1),
    ]

    /// Parses a size in bytes; nil when malformed, negative or overflowing.
    public static func parse(_ text: String) -> Int64? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 19, let amount = Int64(digits) else { return nil }
        let suffix = text.dropFirst(digits.count).drop { $0 == " " }
        let factor: Int64
        if suffix.isEmpty {
            factor = 1
        } else if let unit = units.first(where: { $0.suffix == suffix }) {
            factor = unit.factor
        } else {
            return nil
        }
        let (bytes, overflow) = amount.multipliedReportingOverflow(by: factor)
        return overflow ? nil : bytes
    }

    /// Formats a size with the largest unit that divides it exactly: `512MB`, `1GiB`, `1234B`, `0`.
    public static func format(_ bytes: Int64) -> String {
        guard bytes > 0 else { return "\(bytes)" }
        for unit in units where unit.suffix != "KB" && bytes % unit.factor == 0 {
            return "\(bytes / unit.factor)\(unit.suffix)"
        }
        return "\(bytes)B"
    }
}

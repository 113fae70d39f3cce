/// Decode tables at stable addresses, so the packet path indexes memory without touching an Array.
public enum G711Tables {
    /// µ-law to linear, 256 entries, allocated once for the life of the process.
    // nonisolated(unsafe): written once at initialisation, read-only afterwards.
    nonisolated(unsafe) public static let muLaw: UnsafePointer<Int16> = makeTable(G711.muLawTable)
    /// A-law to linear, 256 entries.
    nonisolated(unsafe) public static let aLaw: UnsafePointer<Int16> = makeTable(G711.aLawTable)

    /// The table for a codec.
    @inline(__always)
    public static func table(for codec: AudioCodec) -> UnsafePointer<Int16> {
        codec == .pcmu ? muLaw : aLaw
    }

    private static func makeTable(_ values: [Int16]) -> UnsafePointer<Int16> {
        let table = UnsafeMutablePointer<Int16>.allocate(capacity: 256)
        table.initialize(from: values, count: 256)
        return UnsafePointer(table)
    }
}

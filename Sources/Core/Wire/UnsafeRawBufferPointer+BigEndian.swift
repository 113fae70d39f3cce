extension UnsafeRawBufferPointer {
    /// A big-endian 16-bit field; the caller has already checked `offset + 2 <= count`.
    @inline(__always)
    func be16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// A big-endian 32-bit field; the caller has already checked `offset + 4 <= count`.
    @inline(__always)
    func be32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16
            | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }
}

import CPcap

/// The one owner of a live `pcap_t *`: closes it exactly once, on `close()` or at deinit, whichever
/// comes first. Every other use borrows `pointer` for the duration of a call and never closes it.
///
/// `@unchecked Sendable`: the handle is created on the control thread and then used by the capture
/// thread only; libpcap handles are not thread-safe, and nothing here makes them so.
final class PcapHandle: @unchecked Sendable {
    /// The handle, or nil once closed.
    private(set) var pointer: OpaquePointer?

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// The text of the last libpcap error on this handle ("" once closed).
    var lastError: String {
        guard let pointer, let text = pcap_geterr(pointer) else { return "" }
        return String(cString: text)
    }

    /// Closes the handle (releasing the kernel ring and the packet socket); further calls do nothing.
    func close() {
        guard let handle = pointer else { return }
        pointer = nil
        pcap_close(handle)
    }

    deinit { close() }
}

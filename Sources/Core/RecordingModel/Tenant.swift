/// A tenant is a SIP domain: the Request-URI host of its calls, and the `domain` of its recordings, events
/// and API tokens. A caller limited to one tenant sees and controls that tenant's calls and recordings only.
/// The one place tenants are compared: ignoring ASCII case, as DNS names are.
public enum Tenant {
    /// Whether a caller limited to tenant `caller` (nil: an admin, every tenant) may reach what belongs to
    /// `domain`.
    public static func allows(_ caller: String?, _ domain: String) -> Bool {
        guard let caller else { return true }
        return caller.utf8.count == domain.utf8.count && folded(caller).elementsEqual(folded(domain))
    }

    private static func folded(_ text: String) -> some Sequence<UInt8> {
        text.utf8.lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }
}

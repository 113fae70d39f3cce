#if canImport(Glibc)
import Glibc
#endif

/// Whether this process may open a live packet capture (an AF_PACKET socket needs CAP_NET_RAW).
/// Used by `siprecd doctor`, and at start-up to fall back to socket capture with a log line.
public enum CaptureCapabilities {
    /// CAP_NET_RAW's bit in the capability sets (linux/capability.h).
    static let netRawBit = 13

    /// True when the effective capability set holds CAP_NET_RAW. Root normally has it, but a root
    /// process in a container may have had it dropped, so the effective set decides whenever it can be
    /// read; an effective user id of 0 is trusted only when /proc/self/status is unreadable.
    public static func canCapture() -> (Bool, reason: String) {
        let isRoot = geteuid() == 0
        guard let effective = effectiveCapabilities() else {
            return isRoot
                ? (true, "running as root (capabilities unreadable: /proc/self/status has no CapEff)")
                : (false, "not root and the capabilities are unreadable (/proc/self/status has no CapEff)")
        }
        if effective & (1 << UInt64(netRawBit)) != 0 {
            return (true, isRoot ? "running as root with CAP_NET_RAW" : "CAP_NET_RAW is in the effective set")
        }
        return (false, isRoot
            ? "running as root but CAP_NET_RAW is not in the effective set (dropped by the container or service manager)"
            : "CAP_NET_RAW is missing: run as root, or grant it (systemd AmbientCapabilities=CAP_NET_RAW, or setcap cap_net_raw+ep on the binary)")
    }

    /// The CapEff mask of this process, or nil when it cannot be read.
    static func effectiveCapabilities(statusPath: String = "/proc/self/status") -> UInt64? {
        guard let file = fopen(statusPath, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("CapEff:") else { continue }
            return parseMask(text.dropFirst("CapEff:".count))
        }
        return nil
    }

    /// Parses the hexadecimal mask of a "CapEff:\t0000003fffffffff" line (after the label).
    static func parseMask(_ text: Substring) -> UInt64? {
        let digits = text.drop { $0 == " " || $0 == "\t" }.prefix { $0.isHexDigit }
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        return UInt64(digits, radix: 16)
    }
}

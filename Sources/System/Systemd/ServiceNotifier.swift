import CSystemd

/// The systemd notify protocol (sd_notify(3)) through libsystemd: READY=1, STATUS=…, WATCHDOG=1,
/// STOPPING=1, sent as datagrams to $NOTIFY_SOCKET. Absent (nil) when siprecd does not run under a
/// `Type=notify` unit.
public struct ServiceNotifier: Sendable {
    /// How often systemd expects WATCHDOG=1 (`WatchdogSec=`), when the watchdog is on for this process.
    public let watchdogInterval: Duration?

    /// nil when $NOTIFY_SOCKET is not set.
    public static func fromEnvironment() -> ServiceNotifier? {
        guard getenv("NOTIFY_SOCKET") != nil else { return nil }
        var microseconds: UInt64 = 0
        let enabled = sd_watchdog_enabled(0, &microseconds) > 0
        return ServiceNotifier(watchdogInterval: enabled ? .microseconds(Int64(microseconds)) : nil)
    }

    /// Sends one state (several may be joined with newlines). Errors are ignored, as sd_notify(3) advises.
    public func notify(_ state: String) {
        _ = sd_notify(0, state)
    }
}

#if canImport(Glibc)
import Glibc
#endif

import CSystemd

/// The kernel's view of the wall clock (adjtimex): whether NTP (systemd-timesyncd, chrony) keeps it
/// synchronised, and its estimated error. `siprecd doctor` reports it; recordings carry wall-clock times.
public struct ClockStatus: Sendable {
    public var synchronized: Bool
    public var maxErrorMicros: Int

    public static func query() -> ClockStatus {
        var state = timex()
        let status = adjtimex(&state)
        return ClockStatus(synchronized: status != TIME_ERROR && state.status & STA_UNSYNC == 0,
                           maxErrorMicros: Int(state.maxerror))
    }
}

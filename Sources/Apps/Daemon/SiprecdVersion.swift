/// The version `siprecd --version` prints and the SIP User-Agent/Server header carries.
public enum SiprecdVersion {
    public static let string = "0.1.0"
    /// The year of this release: a wall clock before it is certainly wrong (`siprecd doctor`).
    public static let year = 2026
}

/// The version `siprecd --version` prints and the SIP User-Agent/Server header carries.
public enum SiprecdVersion {
    public static let string = "0.1.0"
}

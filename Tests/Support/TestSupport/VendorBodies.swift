#if canImport(Glibc)
import Glibc
#endif

/// SIPREC INVITE bodies captured from real equipment (Acme Packet, BroadWorks, Cisco, Connectel, Procomm,
/// Sonus; from drachtio-srf, MIT licence: see Tests/Support/Fixtures/vendor-bodies/LICENSE.drachtio-MIT).
/// One copy for every suite that reads them (SIP parsing, metadata, the fuzz corpus).
public enum VendorBodies {
    /// The folder the bodies are in, found from this file so tests run from any directory.
    public static let directory: String = {
        let file = #filePath
        let folder = file.lastIndex(of: "/").map { file[..<$0] } ?? "."
        return String(folder) + "/../Fixtures/vendor-bodies"
    }()

    /// The bytes of a body, or nil when there is no such file.
    public static func bytes(_ name: String) -> [UInt8]? {
        guard let handle = fopen(directory + "/" + name, "rb") else { return nil }
        defer { fclose(handle) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, handle) }
            if count <= 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }
}

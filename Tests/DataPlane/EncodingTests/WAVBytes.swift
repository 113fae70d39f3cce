#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// The whole content of a file.
func readBytes(_ path: String) -> [UInt8] {
    guard let handle = fopen(path, "rb") else { return [] }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65_536, handle) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Appends raw bytes to a file (a crash's torn last frame).
func appendBytes(_ bytes: [UInt8], to path: String) {
    guard let handle = fopen(path, "ab") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, handle) }
    fclose(handle)
}

func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) | u16(bytes, at + 2) << 16 }
func tag(_ bytes: [UInt8], _ at: Int) -> String { String(decoding: bytes[at..<(at + 4)], as: UTF8.self) }

/// Interleaved 16-bit samples of a canonical WAV file's data.
func samples(_ bytes: [UInt8], from start: Int, count: Int) -> [Int16] {
    (0..<count).map { Int16(bitPattern: UInt16(u16(bytes, start + 2 * $0))) }
}

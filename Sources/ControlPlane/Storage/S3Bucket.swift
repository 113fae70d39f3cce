import HTTPClient
import Signatures
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

/// An S3-compatible bucket over HTTPS (certificate verified) or plain HTTP on a trusted network: PUT for
/// files up to `partSize`, multipart upload above (CreateMultipartUpload, UploadPart, Complete, and
/// Abort on failure). Path-style (`endpoint/bucket/key`) or virtual-host style (`bucket.endpoint/key`).
public struct S3Bucket: Sendable {
    public var endpoint: String
    public var bucket: String
    public var pathStyle: Bool
    public var signer: S3Signer
    /// Multipart part size (S3's minimum is 5 MiB).
    public var partSize = 5 * 1024 * 1024
    /// Whether an existing object may be replaced.
    public var overwrite = false
    /// CA certificates (PEM) for an https endpoint, instead of the system's.
    public var caFile: String?
    /// The most one request may take, in milliseconds (connect, send and answer together).
    public var timeoutMillis = 30_000

    public init(endpoint: String, bucket: String, pathStyle: Bool, signer: S3Signer) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.bucket = bucket
        self.pathStyle = pathStyle
        self.signer = signer
    }

    /// Uploads the file at `path` as `key`.
    public func upload(path: String, key: String, now unixMillis: Int64) throws(StorageError) {
        let file = try FileBytes(path: path)
        if !overwrite, try exists(key: key, now: unixMillis) { throw StorageError("\(key) already exists in the bucket") }
        if file.size <= partSize {
            let body = try file.read(offset: 0, count: Int(file.size))
            _ = try send("PUT", key: key, query: [], body: body, now: unixMillis, expect: 200)
            return
        }
        let created = try send("POST", key: key, query: [("uploads", "")], body: [], now: unixMillis, expect: 200)
        guard let uploadId = S3Bucket.element("UploadId", in: created.body) else {
            throw StorageError("S3 CreateMultipartUpload gave no UploadId")
        }
        do throws(StorageError) {
            var parts: [(Int, String)] = []
            var offset: Int64 = 0
            var number = 1
            while offset < file.size {
                let count = Int(min(Int64(partSize), file.size - offset))
                let body = try file.read(offset: offset, count: count)
                let response = try send("PUT", key: key, query: [("partNumber", "\(number)"), ("uploadId", uploadId)], body: body,
                                        now: unixMillis, expect: 200)
                guard let etag = response.headers["etag"] else { throw StorageError("S3 UploadPart \(number) gave no ETag") }
                parts.append((number, etag))
                offset += Int64(count)
                number += 1
            }
            let complete = "<CompleteMultipartUpload>" + parts.map { "<Part><PartNumber>\($0.0)</PartNumber><ETag>\($0.1)</ETag></Part>" }.joined()
                + "</CompleteMultipartUpload>"
            let done = try send("POST", key: key, query: [("uploadId", uploadId)], body: Array(complete.utf8), now: unixMillis, expect: 200)
            if done.body.contains("<Error>") { throw StorageError("S3 CompleteMultipartUpload failed: \(S3Bucket.element("Message", in: done.body) ?? done.body)") }
        } catch {
            _ = try? send("DELETE", key: key, query: [("uploadId", uploadId)], body: [], now: unixMillis, expect: 204)
            throw error
        }
    }

    func exists(key: String, now: Int64) throws(StorageError) -> Bool {
        let response = try send("HEAD", key: key, query: [], body: [], now: now, expect: nil)
        return response.status == 200
    }

    /// One signed request; `expect` (when set) is the status that counts as success.
    func send(_ method: String, key: String, query: [(String, String)], body: [UInt8], now: Int64,
              expect: Int?) throws(StorageError) -> BlockingHTTP.Response {
        guard var target = BlockingHTTP.Target(url: endpoint) else { throw StorageError("S3 endpoint \(endpoint) is not a URL") }
        target.caFile = caFile
        let base = target.path == "/" ? "" : target.path

        let objectPath = base + (pathStyle ? "/\(bucket)/\(key)" : "/\(key)")
        let queryText = query.map { $0.1.isEmpty ? S3Signer.encode($0.0) : "\(S3Signer.encode($0.0))=\(S3Signer.encode($0.1))" }
            .joined(separator: "&")
        target.path = S3Signer.encode(objectPath, keepSlash: true) + (queryText.isEmpty ? "" : "?\(queryText)")
        // Virtual-host style names the bucket in Host; the connection still goes to the endpoint.
        let authority = target.host.contains(":") ? "[\(target.host)]:\(target.port)" : "\(target.host):\(target.port)"
        let host = pathStyle ? authority : "\(bucket).\(authority)"
        let signed = signer.sign(method: method, path: objectPath, query: query, headers: [("host", host)],
                                 payloadHash: SHA256.hash(body).hexString, amzDate: S3Bucket.amzDate(now))
        let response: BlockingHTTP.Response
        do {
            response = try BlockingHTTP.request(method: method, target: target, bytes: body, headers: [("Host", host)] + signed,
                                                timeoutMillis: timeoutMillis)
        } catch {
            throw StorageError("S3 \(method) \(key): \(error.message)")
        }
        if let expect, response.status != expect, !(expect == 200 && response.status == 204) {
            let code = S3Bucket.element("Code", in: response.body), message = S3Bucket.element("Message", in: response.body)
            let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
            throw StorageError("S3 \(method) \(key) failed: \(detail.isEmpty ? "no error document" : detail) (HTTP \(response.status))")
        }
        return response
    }

    /// The text of the first `<name>` element of an XML answer.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.firstRange(of: "<\(name)>"),
              let close = xml[open.upperBound...].firstRange(of: "</\(name)>") else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` of Unix milliseconds.
    static func amzDate(_ millis: Int64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}

/// Reads byte ranges of a file.
final class FileBytes {
    let fd: Int32
    let size: Int64

    init(path: String) throws(StorageError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError("cannot open \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        fstat(fd, &info)
        size = Int64(info.st_size)
    }

    deinit { close(fd) }

    func read(offset: Int64, count: Int) throws(StorageError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let fd = fd
        let got: Int
        do {
            got = try FileIO.readFully(fd, into: &bytes, at: offset)
        } catch {
            throw StorageError("cannot read the file to upload: \(error)")
        }
        guard got == count else { throw StorageError("the file to upload ended at byte \(offset + Int64(got)), before \(offset + Int64(count))") }
        return bytes
    }
}

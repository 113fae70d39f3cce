import JSON
import Config
import LibCrypto
import RecordingModel
import Storage
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

/// Writes a file into a bucket, sealing it first when a key is given (the plaintext is made in the data
/// directory and removed once sealed).
enum BucketWriter {
    static func write(settings: ArchiveSettings, bucket: BucketSettings, fileName: String, key: (id: String, bytes: [UInt8])?,
                      tag: String, produce: (String) throws(StorageError) -> Void) throws(StorageError) {
        switch bucket.kind {
        case .dir(let path, let overwrite):
            try DirectoryBucket(path: path, overwrite: overwrite).store(name: fileName) { (temporary: String) throws(StorageError) in
                guard let key else {
                    try produce(temporary)
                    return
                }
                try? FileSystem.makeDirectories("\(settings.dataDir)/tmp")
                let plain = "\(settings.dataDir)/tmp/store-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
                defer { unlink(plain) }
                try produce(plain)
                do throws(SealedFile.Failure) {
                    try SealedFile.seal(source: plain, destination: temporary, key: key.bytes, keyId: key.id)
                } catch {
                    throw StorageError("encryption failed: \(error.message)")
                }
            }
        case .s3(let endpoint, let region, let name, let accessKeyId, let secretFile, let secretInline, let pathStyle, let partSize, let caFile):
            // Made (and sealed) locally, then uploaded; the local files are removed either way.
            let secret: String
            if let secretInline {
                secret = secretInline
            } else if let secretFile, let text = FileSystem.readText(secretFile, limit: 65_536) {
                secret = secretAccessKey(fromFile: text)
            } else {
                throw StorageError("bucket '\(bucket.name)': cannot read secretAccessKeyFile")
            }
            try? FileSystem.makeDirectories("\(settings.dataDir)/tmp")
            let plain = "\(settings.dataDir)/tmp/upload-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
            let sealed = plain + ".sealed"
            defer { unlink(plain); unlink(sealed) }
            try produce(plain)
            var upload = plain
            if let key {
                do throws(SealedFile.Failure) {
                    try SealedFile.seal(source: plain, destination: sealed, key: key.bytes, keyId: key.id)
                } catch {
                    throw StorageError("encryption failed: \(error.message)")
                }
                upload = sealed
            }
            var target = S3Bucket(endpoint: endpoint, bucket: name, pathStyle: pathStyle,
                                  signer: S3Signer(accessKeyId: accessKeyId, secretAccessKey: secret, region: region))
            target.partSize = Int(partSize)
            target.caFile = caFile
            target.timeoutMillis = Int(bucket.timeout.components.seconds * 1000)
            do throws(StorageError) {
                try target.upload(path: upload, key: fileName, now: WallClock.unixMillis())
            } catch {
                throw StorageError("bucket '\(bucket.name)': \(error.message)")
            }
        }
    }

    /// A secretAccessKeyFile's key: its first line, without the spaces and tabs around the file's text.
    static func secretAccessKey(fromFile text: String) -> String {
        var trimmed = text[...]
        while let first = trimmed.first, first == " " || first == "\t" { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return trimmed.split(separator: "\n").first.map(String.init) ?? ""
    }
}

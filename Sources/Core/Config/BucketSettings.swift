/// One `[buckets.NAME]` section: where STORERECORDING puts files (`destinationBucket` = NAME).
public struct BucketSettings: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A local directory; `overwrite` allows replacing an existing file (default false).
        case dir(path: String, overwrite: Bool)
        /// An S3-compatible endpoint.
        case s3(endpoint: String, region: String, bucket: String, accessKeyId: String, secretAccessKeyFile: String?,
                secretAccessKey: String?, pathStyle: Bool, partSize: Int64, caFile: String?)
    }

    public var name: String
    public var kind: Kind
    /// `s3`: the most one request (connect, send, answer) may take before the STORE fails. Default 30s.
    public var timeout: Duration = .seconds(30)

    public init(name: String, kind: Kind, timeout: Duration = .seconds(30)) {
        self.name = name
        self.kind = kind
        self.timeout = timeout
    }

    static let keys = ["type", "path", "overwrite", "endpoint", "region", "bucket", "accessKeyId",
                       "secretAccessKeyFile", "secretAccessKey", "pathStyle", "partSize", "caFile", "timeout"]

    static func parse(name: String, _ reader: SectionReader) throws(ConfigError) -> BucketSettings {
        guard let type = try reader.string("type") else { throw reader.invalid("type", "is required: \"dir\" or \"s3\"") }
        switch type {
        case "dir":
            guard let path = try reader.string("path"), path.hasPrefix("/") else {
                throw reader.invalid("path", "must be an absolute directory path")
            }
            return BucketSettings(name: name, kind: .dir(path: path, overwrite: try reader.bool("overwrite") ?? false))
        case "s3":
            guard let endpoint = try reader.string("endpoint"), endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw reader.invalid("endpoint", "must be an http:// or https:// URL")
            }
            guard let bucket = try reader.string("bucket"), !bucket.isEmpty else { throw reader.invalid("bucket", "is required") }
            guard let key = try reader.string("accessKeyId"), !key.isEmpty else { throw reader.invalid("accessKeyId", "is required") }
            let file = try reader.string("secretAccessKeyFile"), inline = try reader.string("secretAccessKey")
            guard file != nil || inline != nil else {
                throw reader.invalid("secretAccessKeyFile", "or 'secretAccessKey' is required")
            }
            let partSize = try reader.byteSize("partSize") ?? 5 * 1024 * 1024
            guard partSize >= 64 * 1024, partSize <= 1 << 30 else {
                throw reader.invalid("partSize", "must be between 64KiB and 1GiB (S3 itself needs at least 5MiB)")
            }
            let timeout = try reader.duration("timeout") ?? .seconds(30)
            guard timeout >= .seconds(1), timeout <= .seconds(3_600) else {
                throw reader.invalid("timeout", "must be between 1s and 1h")
            }
            return BucketSettings(name: name, kind: .s3(endpoint: endpoint, region: try reader.string("region") ?? "us-east-1",
                                                        bucket: bucket, accessKeyId: key, secretAccessKeyFile: file,
                                                        secretAccessKey: inline, pathStyle: try reader.bool("pathStyle") ?? true,
                                                        partSize: partSize, caFile: try reader.string("caFile")),
                                  timeout: timeout)
        default:
            throw reader.invalid("type", "has an invalid value \"\(type)\": expected \"dir\" or \"s3\"")
        }
    }
}

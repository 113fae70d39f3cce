import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// The first certificate of a PEM file, as an installer checks it: whose it is and when it is valid.
public struct TLSCertificateFile: Sendable, Equatable {
    public var path: String
    /// One-line subject, e.g. "CN = srs.example.com, O = Example".
    public var subject: String
    /// Validity, Unix seconds.
    public var notBefore: Int64
    public var notAfter: Int64
    /// Certificates in the file (a chain, or a CA bundle).
    public var count: Int
    /// The first certificate may authenticate a TLS client (no extendedKeyUsage, or one with clientAuth).
    public var clientUse: Bool

    /// Reads `path`; `key` names the setting in errors (`tls.certificate`, `tls.clientCA`).
    public init(path: String, key: String) throws(TLSFailure) {
        var before: Int64 = 0, after: Int64 = 0
        var count: Int32 = 0, clientUse: Int32 = 0
        var subject = [CChar](repeating: 0, count: 512)
        switch siprecd_pem_certificate_info(path, &before, &after, &count, &clientUse, &subject, Int32(subject.count)) {
        case -1:
            throw TLSFailure(message: "\(key) \(path): cannot read it: \(String(cString: strerror(errno)))")
        case 0:
            throw TLSFailure(message: "\(key) \(path): no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)")
        default:
            break
        }
        self.path = path
        self.subject = String(nulTerminated: subject)
        notBefore = before
        notAfter = after
        self.count = Int(count)
        self.clientUse = clientUse != 0
    }

    /// Days of validity left at `now` (Unix seconds); negative once expired.
    public func daysLeft(at now: Int64) -> Int64 { (notAfter - now) / 86_400 }

    /// "2027-03-01" of a Unix time.
    public static func date(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
}

/// `siprecd config check` and start-up: the `[tls]` files as a context would load them, and their dates.
public enum TLSFileCheck {
    /// Certificates this close to their end get a warning.
    public static let warningDays: Int64 = 30

    /// Errors (the daemon would not start) and warnings for `options`, at `now` (Unix seconds). With
    /// `loadingContext`, the files are also loaded as a context would (key against certificate, cipher list);
    /// start-up and reload leave that to the contexts they build next.
    public static func check(_ options: TLSContext.Options, now: Int64, loadingContext: Bool = true) -> (errors: [String], warnings: [String]) {
        var errors: [String] = [], warnings: [String] = []
        do {
            let certificate = try TLSCertificateFile(path: options.certificate, key: "tls.certificate")
            errors += problems(of: certificate, key: "tls.certificate", now: now, warnings: &warnings)
            if !certificate.clientUse {
                warnings.append("tls.certificate \(certificate.path) (\(certificate.subject)) is for server authentication only (extendedKeyUsage "
                    + "without clientAuth): when an SRC's connection is gone siprecd connects to it presenting this certificate, which an SRC "
                    + "that checks client certificates refuses; a certificate with both serverAuth and clientAuth serves both ways")
            }
        } catch {
            errors.append(error.message)
        }
        if !options.verifyCA.isEmpty {
            do {
                let ca = try TLSCertificateFile(path: options.verifyCA, key: "tls.clientCA")
                errors += problems(of: ca, key: "tls.clientCA", now: now, warnings: &warnings)
            } catch {
                errors.append(error.message)
            }
        }
        if errors.isEmpty, loadingContext {
            do {
                _ = try TLSContext.server(options)
            } catch {
                errors.append(error.message)
            }
        }
        return (errors, warnings)
    }

    private static func problems(of file: TLSCertificateFile, key: String, now: Int64, warnings: inout [String]) -> [String] {
        if file.notAfter <= now {
            return ["\(key) \(file.path) (\(file.subject)) expired on \(TLSCertificateFile.date(file.notAfter)): SRCs will refuse it; renew it"]
        }
        if file.notBefore > now {
            return ["\(key) \(file.path) (\(file.subject)) is not valid before \(TLSCertificateFile.date(file.notBefore)): check the box's clock or the certificate"]
        }
        if file.daysLeft(at: now) < warningDays {
            warnings.append("\(key) \(file.path) (\(file.subject)) expires on \(TLSCertificateFile.date(file.notAfter)), in \(file.daysLeft(at: now)) days: renew it, then reload (SIGHUP)")
        }
        return []
    }
}

extension String {
    /// The text of a NUL-terminated C buffer.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

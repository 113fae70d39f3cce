import RecordingMetadata
import SIPCore

/// The parts of a SIPREC request body we use: SDP and RFC 7865 metadata, from a plain SDP body, a bare
/// metadata body, or multipart/mixed (unknown extra parts such as application/gtd are ignored).
struct SessionBody {
    var sdp: SDPSession?
    var metadata: RecordingMetadata?
    var metadataError: String?
    /// What had to be repaired to read the body's metadata (a bare `&`, a Content-Type without `+xml`, a
    /// boundary the body does not use…): the warning `metadataRepaired`. Empty when nothing was.
    var metadataRepairs: [String] = []
    var hasMetadataPart = false
    /// The metadata part as received (RECORDINGSTARTED carries it as `metaData`).
    var metadataText: String?

    /// Why a body cannot be used at all (the request gets a 400 with this text).
    struct Rejection: Error { var reason: String }

    static let metadataTypes: Set<String> = ["application/rs-metadata+xml", "application/rs-metadata"]

    /// A metadata part by its type, or (when the type is damaged) by `Content-Disposition: recording-session`.
    static func isMetadata(_ part: (type: String, disposition: String, body: [UInt8])) -> Bool {
        metadataTypes.contains(part.type) || part.disposition.hasPrefix("recording-session")
    }

    static func parse(_ message: SIPMessage) throws(Rejection) -> SessionBody {
        var result = SessionBody()
        guard !message.body.isEmpty else { return result }
        guard let contentType = message.contentType else {
            throw Rejection(reason: "body without Content-Type")
        }
        var parts: [(type: String, disposition: String, body: [UInt8])] = []
        var mimeRepairs: [String] = []
        if contentType.type == "multipart" {
            let boundary = contentType.parameter("boundary").flatMap { $0.isEmpty ? nil : $0 }
            do {
                parts = try MultipartParser.parse(message.body, boundary: boundary, repairs: &mimeRepairs).map {
                    ($0.contentType?.mediaType ?? ($0.header("Content-Type") ?? "text/plain").lowercased(),
                     ($0.header("Content-Disposition") ?? "").lowercased(), $0.body)
                }
            } catch {
                throw Rejection(reason: boundary == nil ? "multipart body without boundary" : "malformed multipart body: \(error.message)")
            }
        } else {
            parts = [(contentType.mediaType, (message.header("Content-Disposition") ?? "").lowercased(), message.body)]
        }
        for part in parts {
            if part.type == "application/sdp", result.sdp == nil {
                do {
                    result.sdp = try SDPSession.parse(part.body)
                } catch {
                    throw Rejection(reason: "invalid SDP: \(error.message)")
                }
            } else if isMetadata(part), !result.hasMetadataPart {
                result.hasMetadataPart = true
                result.metadataText = String(decoding: part.body, as: UTF8.self)
                do {
                    let (metadata, repairs) = try RecordingMetadata.parseReporting(part.body)
                    result.metadata = metadata
                    result.metadataRepairs = mimeRepairs + repairs
                    if part.type != "application/rs-metadata+xml" {
                        result.metadataRepairs.append("the metadata part's Content-Type is '\(part.type)', not application/rs-metadata+xml")
                    }
                } catch {
                    result.metadataError = error.message
                }
            }
        }
        return result
    }
}

extension SessionBody {
    /// Why an INVITE counts as a SIPREC session (RFC 7866 §6.1; any one is enough): `Require: siprec`,
    /// `+sip.src` in Contact, a metadata body part. Empty for a plain SIP call.
    static func siprecIndications(_ invite: SIPMessage, body: SessionBody) -> [String] {
        var found: [String] = []
        if invite.headerValues("Require").contains(where: { $0.lowercased() == "siprec" }) { found.append("Require: siprec") }
        if invite.contact.contains(where: { $0.parameter("+sip.src") != nil }) { found.append("+sip.src") }
        if body.hasMetadataPart { found.append("metadata") }
        return found
    }
}

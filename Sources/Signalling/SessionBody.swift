import RecordingMetadata
import SIPCore

/// The parts of a SIPREC request body we use: SDP and RFC 7865 metadata, from a plain SDP body, a bare
/// metadata body, or multipart/mixed (unknown extra parts such as application/gtd are ignored).
struct SessionBody {
    var sdp: SDPSession?
    var metadata: RecordingMetadata?
    var metadataError: String?
    var hasMetadataPart = false

    /// Why a body cannot be used at all (the request gets a 400 with this text).
    struct Rejection: Error { var reason: String }

    static let metadataTypes: Set<String> = ["application/rs-metadata+xml", "application/rs-metadata"]

    static func parse(_ message: SIPMessage) throws(Rejection) -> SessionBody {
        var result = SessionBody()
        guard !message.body.isEmpty else { return result }
        guard let contentType = message.contentType else {
            throw Rejection(reason: "body without Content-Type")
        }
        var parts: [(type: String, body: [UInt8])] = []
        if contentType.type == "multipart" {
            guard let boundary = contentType.parameter("boundary"), !boundary.isEmpty else {
                throw Rejection(reason: "multipart body without boundary")
            }
            do {
                parts = try MultipartParser.parse(message.body, boundary: boundary)
                    .map { ($0.contentType?.mediaType ?? "text/plain", $0.body) }
            } catch {
                throw Rejection(reason: "malformed multipart body: \(error.message)")
            }
        } else {
            parts = [(contentType.mediaType, message.body)]
        }
        for part in parts {
            if part.type == "application/sdp", result.sdp == nil {
                do {
                    result.sdp = try SDPSession.parse(part.body)
                } catch {
                    throw Rejection(reason: "invalid SDP: \(error.message)")
                }
            } else if metadataTypes.contains(part.type), !result.hasMetadataPart {
                result.hasMetadataPart = true
                do {
                    result.metadata = try RecordingMetadata.parse(part.body)
                } catch {
                    result.metadataError = error.message
                }
            }
        }
        return result
    }
}

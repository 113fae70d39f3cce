/// The recorded call's own identity as SRCs carry it in the metadata: the original call's SIP Call-ID
/// and, where present, the Avaya UCID (Universal Call ID). Applications and auditors find a recording by
/// the call it belonged to.
///
/// | field | from (any namespace prefix, first found wins) |
/// |---|---|
/// | `ucid` | Oracle `apkt:ucid`, AudioCodes `ac:AvayaUCID`, any `ucid`/`AvayaUCID`/`UniversalCallID` element |
/// | `originalCallId` | Oracle `apkt:header label="Call-ID"`, Sonus/Ribbon `callData` `callid`, any `originalCallId`/`origCallId`/`sipCallId` element; else the first `<sipSessionID>` (OpenSIPS puts the original Call-ID there; an RFC 7989 Session-ID without its `;remote=` part otherwise) |
public struct CallIdentity: Sendable, Equatable {
    public var originalCallId: String?
    public var ucid: String?
    /// Where each came from, e.g. `metadata extensiondata.header[Call-ID]`, for logs and docs.
    public var sources: [String]

    public init(originalCallId: String? = nil, ucid: String? = nil, sources: [String] = []) {
        self.originalCallId = originalCallId
        self.ucid = ucid
        self.sources = sources
    }

    static let ucidNames: Set<String> = ["ucid", "avayaucid", "universalcallid", "universal-call-id"]
    static let callIdNames: Set<String> = ["callid", "call-id", "originalcallid", "origcallid", "sipcallid",
                                           "header[call-id]"]

    /// The identity a metadata document carries.
    public static func of(_ metadata: RecordingMetadata?) -> CallIdentity {
        guard let metadata else { return CallIdentity() }
        var identity = CallIdentity()
        let documents = [metadata.extensions] + metadata.participants.map(\.extensions)
        for extensions in documents {
            for key in extensions.keys.sorted() {
                guard let name = key.split(separator: ".").last?.lowercased(), let value = extensions[key]?.bounded, !value.isEmpty else { continue }
                if identity.ucid == nil, ucidNames.contains(name) {
                    identity.ucid = value
                    identity.sources.append("ucid from metadata \(key)")
                }
                if identity.originalCallId == nil, callIdNames.contains(name) {
                    identity.originalCallId = value
                    identity.sources.append("originalCallId from metadata \(key)")
                }
            }
        }
        if identity.originalCallId == nil,
           let sessionID = metadata.sessions.lazy.flatMap(\.sipSessionIDs).first?.prefix(while: { $0 != ";" }).bounded, !sessionID.isEmpty {
            identity.originalCallId = sessionID
            identity.sources.append("originalCallId from metadata <sipSessionID>")
        }
        return identity
    }
}

private extension StringProtocol {
    /// Trimmed, and at most 256 characters: an identity, not a document.
    var bounded: String { String(String(self).trimmingXMLWhitespace().prefix(256)) }
}

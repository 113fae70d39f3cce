import Testing
@testable import RecordingMetadata

/// Model details not covered by a particular vendor fixture.
@Suite("Metadata model")
struct RecordingMetadataTests {
    func parse(_ text: String) throws -> RecordingMetadata {
        try RecordingMetadata.parse(Array(text.utf8))
    }

    @Test("Element and attribute names match regardless of case and namespace prefix")
    func caseInsensitive() throws {
        let metadata = try parse("""
            <x:Recording xmlns:x="urn:ietf:params:xml:ns:recording">
              <x:DATAMODE> Partial </x:DATAMODE>
              <x:Participant Participant_ID="p"><x:NameId AOR="sip:p@x"/><x:SEND>s</x:SEND></x:Participant>
              <x:Stream STREAM_ID="s" Session_Id="S"><x:Label>7</x:Label></x:Stream>
            </x:Recording>
            """)
        #expect(metadata.dataMode == .partial)
        #expect(metadata.participants == [.init(id: "p", nameIDs: [.init(aor: "sip:p@x")], send: ["s"])])
        #expect(metadata.streams == [.init(id: "s", label: "7", sessionId: "S")])
    }

    @Test("A root other than <recording> is rejected with its name")
    func wrongRoot() {
        let error = #expect(throws: MetadataError.self) { try parse("<?xml version='1.0'?>\n<sdp/>") }
        #expect(error == MetadataError(code: .notRecordingMetadata,
                                       message: "root element is <sdp> at line 2, expected <recording> (RFC 7865) or <recording_metadata> (draft-ietf-siprec-metadata)"))
    }

    @Test("An empty recording element parses to empty complete metadata")
    func empty() throws {
        #expect(try parse("<recording/>") == RecordingMetadata())
    }

    @Test("Elements missing their id are skipped rather than failing the whole recording")
    func missingIds() throws {
        let metadata = try parse("<recording><participant><nameID aor='a'/></participant><stream/><session/></recording>")
        #expect(metadata.participants.isEmpty && metadata.streams.isEmpty && metadata.sessions.isEmpty)
    }

    @Test("Unknown vendor leaves anywhere become parent.local extension keys; the first wins")
    func extensionsFlatten() throws {
        let metadata = try parse("""
            <recording>
              <vendor><ucid>00001</ucid><ucid>00002</ucid><empty> </empty></vendor>
              <session session_id="S"><extensiondata><ac:callingParty xmlns:ac="urn:a">x</ac:callingParty></extensiondata></session>
              <topLevel>v</topLevel>
            </recording>
            """)
        #expect(metadata.extensions == ["vendor.ucid": "00001", "extensiondata.callingParty": "x", "recording.topLevel": "v"])
    }

    @Test("MetadataError describes itself with code and message for logs")
    func errorDescription() {
        #expect(MetadataError(code: .malformed, message: "m").description == "malformed: m")
    }
}

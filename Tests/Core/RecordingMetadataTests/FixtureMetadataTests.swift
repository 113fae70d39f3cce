import Testing
@testable import RecordingMetadata

/// Parsing the metadata of real SIPREC offers captured from vendor equipment.
@Suite("Real SRC metadata")
struct FixtureMetadataTests {
    func metadata(_ name: String) throws -> RecordingMetadata {
        let fixture = try Fixture(name)
        let bytes = try #require(fixture.metadataBytes, "\(name) has no metadata part")
        return try RecordingMetadata.parse(bytes)
    }

    /// `participant AoR -> labels of the streams it sends on`.
    func sendLabels(_ metadata: RecordingMetadata) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for participant in metadata.participants {
            result[participant.aor ?? participant.id] = participant.send.compactMap { id in
                metadata.streams.first { $0.id == id }?.label
            }
        }
        return result
    }

    @Test("Acme draft-style metadata with id/session attributes and <send> inside <participant> parses")
    func acme() throws {
        let metadata = try metadata("acme-siprec-offer.txt")
        #expect(metadata.dataMode == .complete)
        #expect(metadata.participants.map(\.aor) == ["sip:9000@192.168.50.102", "sip:1002@192.168.50.10"])
        #expect(metadata.participants.map(\.name) == ["9000", "1002"])
        #expect(metadata.streams.map(\.label) == ["16777227", "16777228"])
        #expect(metadata.streams.map(\.sessionId) == ["AavRXwIIQj1Q39eJulTipQ==", "AavRXwIIQj1Q39eJulTipQ=="])
        #expect(sendLabels(metadata) == ["sip:9000@192.168.50.102": ["16777227"], "sip:1002@192.168.50.10": ["16777228"]])
        #expect(metadata.sessions.first?.associateTime == "2019-03-09T16:50:20")
        #expect(metadata.participantSessionAssociations.count == 2)
        #expect(metadata.participants.first?.extensions["extensiondata.callingParty"] == "true")
    }

    @Test("BroadWorks metadata with participantstreamassoc send-only associations parses")
    func broadworks() throws {
        let metadata = try metadata("broadworks-offer-2.txt")
        #expect(metadata.participants.map(\.aor) == ["sip:9878942259@212.188.68.145", "sip:ASBCE@asbce.com"])
        #expect(metadata.streams.map(\.label) == ["10", "20"])
        #expect(sendLabels(metadata) == ["sip:9878942259@212.188.68.145": ["10"], "sip:ASBCE@asbce.com": ["20"]])
        #expect(metadata.sessionRecordingAssociations.map(\.sessionId) == ["00FA0800705D4C5DCAAC41"])
    }

    @Test("A BroadWorks body whose tags were stripped is refused with a reason that says its markup was lost, not a crash")
    func damagedBroadworks() throws {
        let bytes = try #require(try Fixture("broadworks-offer.txt").metadataBytes)
        let error = #expect(throws: MetadataError.self) { try RecordingMetadata.parse(bytes) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("<recording_metadata> holds") == true && error?.message.contains("markup was lost") == true)
    }

    @Test("Cisco metadata with send and recv associations and an xml:lang name parses")
    func cisco() throws {
        let metadata = try metadata("cisco-siprec-offer.txt")
        #expect(metadata.participants.map(\.aor) == ["sip:7301@35.162.237.204", "sip:7300@35.162.237.204"])
        #expect(metadata.participants.map(\.name) == [nil, "7300"])
        #expect(metadata.streams.map(\.label) == ["1", "2"])
        #expect(sendLabels(metadata) == ["sip:7301@35.162.237.204": ["1"], "sip:7300@35.162.237.204": ["2"]])
        #expect(metadata.participants.first?.recv == ["kQOH5VdEEeeJ/dD/VsPGWA=="])
        #expect(metadata.sessions.first?.sipSessionIDs
            == ["e9fffff2020a598b86962867715db0cf;remote=cd0f7093d62c5f0697098fd69a4aa57b"])
        #expect(metadata.sessions.first?.startTime == "2017-06-23T12:16:06.040Z")
    }

    @Test("Connectel metadata without any stream association parses with empty send lists",
          arguments: ["connectel-offer.txt", "connectel-offer2.txt"])
    func connectel(name: String) throws {
        let metadata = try metadata(name)
        #expect(metadata.participants.map(\.aor) == ["sip:0771121212@52.57.92.239", "sip:0760516936@sip-cust1.connectel.io"])
        #expect(metadata.participants.first?.name?.hasPrefix("test_user;lang=en-US") == true)
        #expect(metadata.streams.map(\.label) == ["1", "2"])
        #expect(metadata.participants.allSatisfy { $0.send.isEmpty })
    }

    @Test("Cisco metadata for inactive streams with empty associations parses without senders")
    func inactive() throws {
        let metadata = try metadata("inactive-sdp-offer.txt")
        #expect(metadata.participants.map(\.aor) == ["sip:0733165805@192.168.40.34", "sip:+972546136443@192.168.10.140"])
        #expect(metadata.streams.map(\.label) == ["1", "2"])
        #expect(metadata.participantStreamAssociations.count == 2)
        #expect(metadata.participantStreamAssociations.allSatisfy { $0.send.isEmpty && $0.recv.isEmpty })
        #expect(metadata.participants.allSatisfy { $0.send.isEmpty })
    }

    @Test("procomm metadata keeps an AoR written without sip: exactly as given")
    func procomm() throws {
        let metadata = try metadata("procomm-siprec-offer.txt")
        #expect(metadata.participants.map(\.aor) == ["sip:016190200@87.252.209.116", "Extension-016190619@speechpath.ie"])
        #expect(metadata.streams.map(\.label) == ["a_leg", "b_leg"])
        #expect(sendLabels(metadata) == ["sip:016190200@87.252.209.116": ["a_leg"], "Extension-016190619@speechpath.ie": ["b_leg"]])
    }

    @Test("Sonus metadata with a tns: prefix, group-ref and callData vendor extension parses")
    func sonus() throws {
        let metadata = try metadata("sonus-siprec-offer.txt")
        #expect(metadata.participants.map(\.aor) == ["2249888500@172.16.198.55", "2249888012@172.16.195.72"])
        #expect(metadata.participants.map(\.name) == ["Extension 8500", nil]) // a blank name is no name
        #expect(metadata.streams.map(\.label) == ["1", "2"])
        #expect(sendLabels(metadata) == ["2249888500@172.16.198.55": ["2"], "2249888012@172.16.195.72": ["1"]])
        #expect(metadata.groups.map(\.id) == ["MTQ3YzA3YzAtNjdkNy0xMA=="])
        #expect(metadata.sessions.first?.groupRef == "MTQ3YzA3YzAtNjdkNy0xMA==")
        #expect(metadata.extensions["callData.fromhdr"]
            == "\"Extension 8500\" <sip:2249888500@172.16.198.55>;tag=SerryvK5ej0jc")
        #expect(metadata.extensions["callData.callid"] == "2da553f7-a48b-1235-d6a2-5254003a4988")
        #expect(metadata.extensions["callData.gcid"] == "241205267")
    }

    @Test("A bare SDP body is rejected as not XML, naming the byte where '<' was expected")
    func nonSiprec() throws {
        let fixture = try Fixture("non-siprec-payload.txt")
        let error = #expect(throws: MetadataError.self) { try RecordingMetadata.parse(Array(fixture.text.utf8)) }
        #expect(error?.code == .notXML)
        #expect(error?.message == "metadata is not XML: expected '<' at byte 1")
    }
}

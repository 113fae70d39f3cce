import Testing
@testable import RecordingMetadata

/// The recorded call's own identity in each vendor's metadata (issue 14 §4). Bodies written in each
/// vendor's shape.
@Suite("The original call's identity")
struct CallIdentityTests {
    func identity(_ text: String) throws -> CallIdentity {
        CallIdentity.of(try RecordingMetadata.parse(Array(text.utf8)))
    }

    @Test("Oracle: apkt:ucid and the apkt:header labelled Call-ID")
    func oracle() throws {
        let found = try identity("""
            <recording xmlns='urn:ietf:params:xml:ns:recording:1'>
              <session session_id="s"><sipSessionID>ignored-when-a-header-says</sipSessionID>
                <extensiondata xmlns:apkt="http://acmepacket.com/siprec/extensiondata">
                  <apkt:ucid>00FA080018803B69810C</apkt:ucid>
                  <apkt:header label="From">sip:a@x</apkt:header>
                  <apkt:header label="Call-ID">8f3e2b1c-77aa@10.1.1.1</apkt:header>
                </extensiondata>
              </session>
            </recording>
            """)
        #expect(found.originalCallId == "8f3e2b1c-77aa@10.1.1.1")
        #expect(found.ucid == "00FA080018803B69810C")
        #expect(found.sources == ["originalCallId from metadata extensiondata.header[Call-ID]", "ucid from metadata extensiondata.ucid"])
    }

    @Test("AudioCodes: the Avaya UCID inside ac:AvayaUCID")
    func audiocodes() throws {
        let found = try identity("""
            <recording xmlns='urn:ietf:params:xml:ns:recording:1'><session session_id="s">
              <extensiondata xmlns:ac="http://www.audiocodes.com/siprec"><ac:AvayaUCID>FA080018803B69810C5E</ac:AvayaUCID></extensiondata>
            </session></recording>
            """)
        #expect(found.ucid == "FA080018803B69810C5E" && found.originalCallId == nil)
    }

    @Test("Sonus/Ribbon callData callid, and OpenSIPS's original Call-ID in sipSessionID")
    func sonusAndOpenSIPS() throws {
        let sonus = try identity("""
            <tns:recording xmlns:tns='urn:ietf:params:xml:ns:recording'><tns:group group_id="g">
              <callData xmlns='urn:ietf:params:xml:ns:callData'><callid>2da553f7-a48b-1235-d6a2-5254003a4988</callid></callData>
            </tns:group></tns:recording>
            """)
        #expect(sonus.originalCallId == "2da553f7-a48b-1235-d6a2-5254003a4988")
        let opensips = try identity("""
            <recording xmlns='urn:ietf:params:xml:ns:recording:1'><session session_id="s">
              <sipSessionID>77vraaoty5daddy5bbevvbqqored5dno@192.168.22.133</sipSessionID></session></recording>
            """)
        #expect(opensips.originalCallId == "77vraaoty5daddy5bbevvbqqored5dno@192.168.22.133")
        #expect(opensips.sources == ["originalCallId from metadata <sipSessionID>"])
        let sessionID = try identity("<recording><session session_id='s'><sipSessionID>ab30317f1a784dc48ff824d0d3715d86;remote=00000000000000000000000000000000</sipSessionID></session></recording>")
        #expect(sessionID.originalCallId == "ab30317f1a784dc48ff824d0d3715d86")
        #expect(CallIdentity.of(nil) == CallIdentity())
    }
}

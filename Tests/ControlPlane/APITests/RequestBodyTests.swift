import RecordingModel
import Testing
@testable import API

@Suite("Device API and control request bodies")
struct RequestBodyTests {
    @Test("the reference's two example bodies parse (start with only the mandatory fields, and with all of them)")
    func referenceExamples() throws {
        let minimal = try SipRecordingCommand.parse(#"{"command": "start", "callKey": "aaa"}"#)
        #expect(minimal.command == .start && minimal.callKey == "aaa" && minimal.role == nil && minimal.headers.isEmpty)
        let full = try SipRecordingCommand.parse("""
            {"command": "start", "callKey": "aaa", "role": "agent_assist", "callRecordingDestUsername": "username_abc",
             "headers": [{"name": "x1-header", "value": "x1-header_value"}, {"name": "x2-header", "value": "x2-header_value"}]}
            """)
        #expect(full.role == "agent_assist" && full.destUser == "username_abc")
        #expect(full.headers.map(\.name) == ["x1-header", "x2-header"] && full.headers.map(\.value) == ["x1-header_value", "x2-header_value"])
    }

    @Test("each invalid body is refused with the field named", arguments: [
        (#"{"callKey": "k"}"#, "command"),
        (#"{"command": "begin", "callKey": "k"}"#, "command"),
        (#"{"command": "start"}"#, "callKey"),
        (#"{"command": "start", "callKey": null}"#, "callKey"),
        (#"{"command": "start", "callKey": ["k"]}"#, "callKey"),
        (#"{"command": "start", "callKey": "k", "role": "abcdefghijklmnopqrstu"}"#, "role"),
        (#"{"command": "start", "callKey": "k", "callRecordingDestUsername": "\#(String(repeating: "u", count: 61))"}"#, "callRecordingDestUsername"),
        (#"{"command": "stop", "callKey": "k", "headers": []}"#, "headers"),
        (#"{"command": "start", "callKey": "k", "headers": {"name": "a", "value": "b"}}"#, "headers"),
        (#"{"command": "start", "callKey": "k", "headers": [{"name": "a:b", "value": "v"}]}"#, "headers"),
        (#"{"command": "start", "callKey": "k", "headers": [{"name": "a", "value": "v\r\nX: y"}]}"#, "headers"),
        (#"{"command": "start", "callKey": "k", "headers": [{"name": "a", "value": "v\u009b2J"}]}"#, "headers"),
        (#"{"command": "start", "callKey": "k", "headers": [{"name": "a", "value": "v\u0085X: y"}]}"#, "headers"),
        (#"{"command": "start", "callKey": "k\u009d0;title\u0007"}"#, "callKey"),
        (#"{"command": "start", "callKey": "k", "headers": [{"name": "a"}]}"#, "headers"),
        (#"{"command": "start", "callKey": "k\u0000"}"#, "callKey"),
    ])
    func refused(body: String, field: String) {
        #expect(throws: FieldError.self) { try SipRecordingCommand.parse(body) }
        do {
            _ = try SipRecordingCommand.parse(body)
        } catch {
            #expect(error.field == field, "\(body): \(error.message)")
            #expect(error.message.contains(field))
        }
    }

    @Test("ten headers, a 20-character role and a 60-character user are accepted; eleven headers are not")
    func limits() throws {
        let ten = (0..<10).map { #"{"name": "X-\#($0)", "value": "v"}"# }.joined(separator: ",")
        let ok = try SipRecordingCommand.parse(#"{"command": "start", "callKey": "k", "role": "\#(String(repeating: "r", count: 20))", "callRecordingDestUsername": "\#(String(repeating: "u", count: 60))", "headers": [\#(ten)]}"#)
        #expect(ok.headers.count == 10)
        #expect(throws: FieldError.self) {
            try SipRecordingCommand.parse(#"{"command": "start", "callKey": "k", "headers": [\#(ten), {"name": "X-10", "value": "v"}]}"#)
        }
    }

    @Test("bodies that are not JSON objects are refused without a field", arguments: ["", "{", "[]", "\"start\"", "{\"a\":[[[[[[[[[[1]]]]]]]]]]}"])
    func notObjects(body: String) {
        do {
            _ = try SipRecordingCommand.parse(body)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.field == nil || body.hasPrefix("{\"a\""))
        }
    }

    @Test("direction requests need a known mode; other actions take an optional body")
    func control() throws {
        #expect(try ControlCommand.parse(action: .pause, body: "").requestedBy == nil)
        #expect(try ControlCommand.parse(action: .pause, body: #"{"requestedBy": "sup-1"}"#).requestedBy == "sup-1")
        let directions = try ControlCommand.parse(action: .directions, body: #"{"inbound": "inactive"}"#)
        #expect(directions.inbound == "inactive" && directions.outbound == nil)
        #expect(throws: FieldError.self) { try ControlCommand.parse(action: .directions, body: "") }
        #expect(throws: FieldError.self) { try ControlCommand.parse(action: .directions, body: #"{"inbound": "muted"}"#) }
        #expect(throws: FieldError.self) { try ControlCommand.parse(action: .directions, body: #"{"requestedBy": "x"}"#) }
    }

    @Test("cloud commands need the path's method, a recordingId and a replyId")
    func cloud() throws {
        let ok = try CloudCommand.parse(kind: .stop, body: #"{"method": "STOPRECORDING", "recordingId": "r", "replyId": "v1.x"}"#)
        #expect(ok.recordingId == "r" && ok.replyId == "v1.x")
        #expect(throws: FieldError.self) { try CloudCommand.parse(kind: .cancel, body: #"{"method": "STOPRECORDING", "recordingId": "r", "replyId": "x"}"#) }
        #expect(throws: FieldError.self) { try CloudCommand.parse(kind: .stop, body: #"{"recordingId": "r"}"#) }
    }

    @Test("paths are percent-decoded once; bad escapes are kept")
    func percentDecoding() {
        #expect(APIRouter.percentDecoded("conv%2Fa%20b") == "conv/a b")
        #expect(APIRouter.percentDecoded("100%") == "100%")
        #expect(APIRouter.percentDecoded("%zz") == "%zz")
    }
}

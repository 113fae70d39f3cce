import Recorder
import RecordingModel
import API
import JSON
import NIOCore
import NIOHTTP1

/// The device API, runtime control and cloud commands: each request hops to the control loop, where the
/// recording service answers it.
extension DaemonBackend {
    func sipRecording(_ command: SipRecordingCommand, caller: APICaller) async -> APIResponse {
        let service = service
        let promise = service.eventLoop.makePromise(of: APIResponse.self)
        service.eventLoop.execute {
            let answer: (Result<DeviceAnswer, ControlFailure>) -> Void = { result in
                switch result {
                case .success(let answer) where answer.held:
                    let seconds = Double(service.settings.pendingStart.components.seconds)
                    promise.succeed(.json(.object([
                        ("result", .string("pending")), ("callKey", .string(command.callKey)), ("recordingIds", .array([])),
                        ("pendingForSeconds", .double(seconds)),
                    ]), status: .accepted))
                case .success(let answer):
                    promise.succeed(.json(.object([
                        ("result", .string(command.command == .start ? "started" : "stopped")),
                        ("callKey", .string(command.callKey)), ("recordingIds", .array(answer.recordings.map(JSONValue.string))),
                    ])))
                case .failure(let failure):
                    promise.succeed(.error(HTTPResponseStatus(statusCode: failure.httpStatus), failure.reason))
                }
            }
            switch command.command {
            case .start: service.commands.deviceStart(command, domain: caller.domain, respond: answer)
            case .stop: service.commands.deviceStop(command, domain: caller.domain, respond: answer)
            }
        }
        return (try? await promise.futureResult.get()) ?? .error(.internalServerError, "control loop unavailable")
    }

    func control(_ command: ControlCommand, recordingId: String?, callKey: String?, caller: APICaller) async -> APIResponse {
        let service = service
        let promise = service.eventLoop.makePromise(of: APIResponse.self)
        service.eventLoop.execute {
            service.commands.control(command, recordingId: recordingId, callKey: callKey, domain: caller.domain,
                            requestedBy: command.requestedBy ?? caller.name) { result in
                let (status, body) = result.response
                promise.succeed(.json(body, status: HTTPResponseStatus(statusCode: status)))
            }
        }
        return (try? await promise.futureResult.get()) ?? .error(.internalServerError, "control loop unavailable")
    }

    func cloud(_ command: CloudCommand, domain: String, caller: APICaller) async -> APIResponse {
        let service = service
        let promise = service.eventLoop.makePromise(of: APIResponse.self)
        service.eventLoop.execute {
            service.commands.cloudCommand(command, domain: domain) { result in
                switch result {
                case .success:
                    promise.succeed(.json(.object([("success", .bool(true))])))
                case .failure(let failure):
                    promise.succeed(.json(.object([("success", .bool(false)), ("error", .string(failure.reason))]),
                                          status: HTTPResponseStatus(statusCode: failure.httpStatus)))
                }
            }
        }
        return (try? await promise.futureResult.get()) ?? .error(.internalServerError, "control loop unavailable")
    }
}

extension ControlResult {
    /// The HTTP status and body of the control routes (docs/openapi.json).
    var response: (status: Int, body: JSONValue) {
        switch self {
        case .done(let ack):
            return (200, ack.json)
        case .deleted(let id):
            return (200, .object([("result", .string("ack")), ("recordingId", .string(id)), ("state", .string("deleted"))]))
        case .failedOn(let id, let failure):
            return (failure.httpStatus, failure.json(recordingId: id))
        case .byCallKey(let key, let results):
            let bodies = results.map { entry in
                switch entry.result {
                case .success(let ack): return ack.json
                case .failure(let failure): return failure.json(recordingId: entry.recordingId)
                }
            }
            let allFailed = results.allSatisfy { if case .failure = $0.result { true } else { false } }
            return (allFailed ? 409 : 200, .object([("callKey", .string(key)), ("results", .array(bodies))]))
        case .refused(let failure, let id?, let state?):
            return (failure.httpStatus, .object([("error", .string(failure.reason)), ("recordingId", .string(id)),
                                                 ("state", .string(state)), ("status", .int(Int64(failure.httpStatus)))]))
        case .refused(let failure, _, _):
            return (failure.httpStatus, .object([("error", .string(failure.reason)), ("status", .int(Int64(failure.httpStatus)))]))
        }
    }
}

extension ControlFailure {
    /// One recording's refusal, as it appears alone or in a call key's results.
    func json(recordingId: String) -> JSONValue {
        .object([("result", .string("error")), ("recordingId", .string(recordingId)), ("error", .string(reason)),
                 ("status", .int(Int64(httpStatus)))])
    }
}

extension ControlAck {
    var json: JSONValue {
        .object([("result", .string("ack")), ("recordingId", .string(recordingId)), ("state", .string(state.rawValue)),
                 ("recordingState", .string(state.indicator.rawValue)), ("fileName", .optional(fileName)),
                 ("inbound", .string(inbound)), ("outbound", .string(outbound))])
    }
}

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
            case .start: service.deviceStart(command, domain: caller.domain, respond: answer)
            case .stop: service.deviceStop(command, domain: caller.domain, respond: answer)
            }
        }
        return (try? await promise.futureResult.get()) ?? .error(.internalServerError, "control loop unavailable")
    }

    func control(_ command: ControlCommand, recordingId: String?, callKey: String?, caller: APICaller) async -> APIResponse {
        let service = service
        let promise = service.eventLoop.makePromise(of: APIResponse.self)
        service.eventLoop.execute {
            service.control(command, recordingId: recordingId, callKey: callKey, domain: caller.domain,
                            requestedBy: command.requestedBy ?? caller.name) { status, body in
                promise.succeed(.json(body, status: HTTPResponseStatus(statusCode: status)))
            }
        }
        return (try? await promise.futureResult.get()) ?? .error(.internalServerError, "control loop unavailable")
    }

    func cloud(_ command: CloudCommand, domain: String, caller: APICaller) async -> APIResponse {
        let service = service
        let promise = service.eventLoop.makePromise(of: APIResponse.self)
        service.eventLoop.execute {
            service.cloudCommand(command, domain: domain) { status, body in
                promise.succeed(.json(body, status: HTTPResponseStatus(statusCode: status)))
            }
        }
        return (try? await promise.futureResult.get()) ?? .error(.internalServerError, "control loop unavailable")
    }
}

extension ControlFailure {
    /// The HTTP status the API answers a failed control request with (the one place it is chosen).
    var httpStatus: Int {
        switch kind {
        case .notFound: return 404
        case .conflict: return 409
        case .invalid: return 400
        case .failed: return 500
        }
    }
}

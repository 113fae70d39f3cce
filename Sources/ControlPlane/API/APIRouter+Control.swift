import JSON
import NIOHTTP1
import RecordingModel

extension APIRouter {
    /// `POST /api/v1/sip/sipRecording` (reference 000).
    func sipRecording(_ body: String, caller: APICaller, receivedNanos: Int64) async -> APIResponse {
        var command: SipRecordingCommand
        do {
            command = try SipRecordingCommand.parse(body)
        } catch {
            return .fieldError(error)
        }
        command.receivedNanos = receivedNanos
        return await backend.sipRecording(command, caller: caller)
    }

    /// `POST /api/v1/recordings/{id}/{action}` and `POST /api/v1/calls/{callKey}/{action}`.
    func control(target: String, key: String, action: String, body: String, caller: APICaller,
                 receivedNanos: Int64) async -> APIResponse {
        guard let action = ControlAction(rawValue: action) else {
            return .error(.notFound, "no such action '\(action)': use \(ControlAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var command: ControlCommand
        do {
            command = try ControlCommand.parse(action: action, body: body)
        } catch {
            return .fieldError(error)
        }
        command.receivedNanos = receivedNanos
        return await backend.control(command, recordingId: target == "recordings" ? key : nil,
                                     callKey: target == "calls" ? key : nil, caller: caller)
    }

    /// `POST /{domain}/stoprecording` and `/{domain}/cancelrecording` (reference 001).
    func cloud(domain: String, kind: CloudCommand.Kind, body: String, caller: APICaller, receivedNanos: Int64) async -> APIResponse {
        guard Tenant.allows(caller.domain, domain) else {
            return .json(.object([("success", .bool(false)), ("error", .string("no such domain '\(domain)'"))]), status: .notFound)
        }
        var command: CloudCommand
        do {
            command = try CloudCommand.parse(kind: kind, body: body)
        } catch {
            return .fieldError(error)
        }
        command.receivedNanos = receivedNanos
        return await backend.cloud(command, domain: domain, caller: caller)
    }
}

extension APIResponse {
    /// 400 naming the field: `{"error": "...", "field": "role", "status": 400}`.
    public static func fieldError(_ error: FieldError) -> APIResponse {
        json(.object([("error", .string(error.message)), ("field", .optional(error.field)), ("status", .int(400))]),
             status: .badRequest)
    }
}

import JSON
import NIOHTTP1
import RecordingModel

extension APIRouter {
    func list(query: [String: String], caller: APICaller) async throws -> APIResponse {
        let limit = Int(query["limit"] ?? "100") ?? -1
        let offset = Int(query["offset"] ?? "0") ?? -1
        guard (1...1000).contains(limit) else { return .error(.badRequest, "limit must be a whole number from 1 to 1000") }
        guard offset >= 0 else { return .error(.badRequest, "offset must be a whole number ≥ 0") }
        if let state = query["state"], let problem = RecordingState.problem(with: state) {
            return .error(.badRequest, problem)
        }
        let filter = RecordingFilter(state: query["state"].flatMap(RecordingState.init(rawValue:)), callKey: query["callKey"], originalCallId: query["originalCallId"],
                                     ucid: query["ucid"])
        let records = try await backend.recordings(limit: limit, offset: offset, filter: filter, domain: caller.domain)
        return .json(.object([("recordings", .array(records.map { RecordingJSON.encode($0, replyId: backend.replyId(for: $0)) }))]))
    }

    func audio(id: String, format: String, caller: APICaller) async throws -> APIResponse {
        guard format == "mp3" || format == "wav" else {
            return .error(.badRequest, "format must be mp3 or wav, not '\(format)'")
        }
        guard let record = try await backend.recording(id: id, domain: caller.domain) else {
            return .error(.notFound, "no recording with id '\(id)'")
        }
        guard record.endTime != nil else {
            return .error(.conflict, "recording \(id) is still \(record.state); audio is available once it is ready")
        }
        guard let relative = format == "mp3" ? record.mp3Path : record.masterPath else {
            if format == "mp3", record.masterPath != nil {
                return .error(.gone, "recording \(id) has no MP3: it was recorded with [media] mp3 = false (the WAV master is there; STORERECORDING makes an MP3 from it)")
            }
            return .error(.gone, "recording \(id) has no \(format) file (state \(record.state))")
        }
        let path = "\(backend.dataDir)/\(relative)"
        guard let size = FileReader.size(of: path) else {
            return .error(.gone, "the \(format) file of recording \(id) is missing on disk")
        }
        var response = APIResponse(status: .ok, contentType: format == "mp3" ? "audio/mpeg" : "audio/wav",
                                   body: .file(path: path, size: size))
        response.extraHeaders = [("Content-Disposition", "attachment; filename=\"\(record.recordingId).\(format)\"")]
        return response
    }
}

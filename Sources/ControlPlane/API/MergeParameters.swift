import JSON
import RecordingModel

/// Decoding of the body into `MergeParameters` (RecordingModel).
extension MergeParameters {
    static func parse(_ body: BodyReader) throws(FieldError) -> MergeParameters {
        let bucket = try body.required("destinationBucket", maxLength: 64)
        guard case .array(let items)? = body.value("toMerge"), (2...50).contains(items.count) else {
            throw FieldError(field: "toMerge", "toMerge must be an array of 2 to 50 {recordingId, startTime}")
        }
        var toMerge: [Item] = []
        for (index, item) in items.enumerated() {
            guard case .string(let id)? = item["recordingId"], !id.isEmpty, id.count <= 64 else {
                throw FieldError(field: "toMerge", "toMerge[\(index)].recordingId must be a recording id")
            }
            guard case .int(let start)? = item["startTime"], start > 0 else {
                throw FieldError(field: "toMerge", "toMerge[\(index)].startTime must be Unix milliseconds")
            }
            var segments: [Range<Int64>] = []
            if let value = item["conferenceSegments"] {
                guard case .array(let list) = value, list.count <= 100 else {
                    throw FieldError(field: "toMerge", "toMerge[\(index)].conferenceSegments must be an array of {startTime, endTime}")
                }
                for segment in list {
                    guard case .int(let from)? = segment["startTime"], case .int(let to)? = segment["endTime"], to > from else {
                        throw FieldError(field: "toMerge", "toMerge[\(index)].conferenceSegments need startTime < endTime (Unix ms)")
                    }
                    segments.append(from..<to)
                }
            }
            guard !toMerge.contains(where: { $0.recordingId.lowercased() == id.lowercased() }) else {
                throw FieldError(field: "toMerge", "recording \(id) is listed twice")
            }
            toMerge.append(Item(recordingId: id, startTime: start, conferenceSegments: segments))
        }
        return MergeParameters(destinationBucket: bucket, fileName: try body.string("fileName", maxLength: 200),
                               encryptionKey: try body.string("encryptionKey", maxLength: 128), toMerge: toMerge)
    }
}

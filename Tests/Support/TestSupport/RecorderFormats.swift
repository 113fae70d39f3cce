import MediaCore
import SIPCore

/// The formats the recorder decodes, as the daemon tells its SDP answerer (MediaCore's codec table).
public let recorderDecodable: SDPDecodable = { map, parameters in
    AudioCodec(encodingName: map.encodingName, clockRate: map.clockRate, channels: map.channels ?? 1, parameters: parameters) != nil
}

import Capture
import Catalog
import JSON
import Logging
import MediaCore
import Pipeline
import RecordingMetadata
import RecordingModel
import SIPCore
import Signalling
import Wire

/// What a replay found and made.
public struct ReplaySummary: Sendable {
    public var frames = 0
    public var undecodable = 0
    public var rtpPackets = 0
    public var sipMessages = 0
    public var recordings: [RecordingRecord] = []
    public var ignoredCalls: [(callID: String, reason: String)] = []
    public var unknownStreamPackets: Int64 = 0
    /// TCP connections that carried TLS (SIP over TLS), and the client → server pairs: their sessions could
    /// not be rebuilt, and their SRTP has keys the capture does not show.
    public var tlsConnections = 0
    public var tlsPairs: [String] = []
}

/// `siprecd replay`: turns a capture file into recordings exactly as live capture would, at full speed.
/// SIP is followed passively (UDP, TCP streams, IPv4 fragments); each call's RTP is placed by the
/// capture's timestamps; files and catalog rows are the same as in active mode.
public final class ReplayRunner {
    let settings: RecordingSettings
    let catalog: RecordingCatalog
    let logger: Logger
    let driver = OfflineMediaDriver()
    var tracker = PassiveSessionTracker(recordPlainCalls: true)
    var follower = SIPFrameFollower()
    var recordings: [String: LiveRecording] = [:]
    var byPipeline: [String: LiveRecording] = [:]
    var summary = ReplaySummary()
    var lastAdvance: Int64 = 0
    var clock: Int64 = 0

    public init(settings: RecordingSettings, catalog: RecordingCatalog, logger: Logger) {
        self.settings = settings
        self.catalog = catalog
        self.logger = logger
    }

    /// Replays the whole file; returns what it made.
    public func run(path: String) throws -> ReplaySummary {
        let reader = try PcapFileReader(path: path)
        guard let linkType = reader.linkType else {
            throw CaptureError(code: .socket, message: "\(path): link type \(reader.rawLinkType) is not supported (Ethernet, VLAN, Linux cooked, raw IP, loopback are)")
        }
        while try reader.next({ nanos, frame in handle(frame: frame, linkType: linkType, nanos: nanos) }) {}
        for event in tracker.endAll(atNanos: clock) { apply(event) }
        advance(to: clock + 1)
        summary.ignoredCalls = tracker.ignored
        summary.unknownStreamPackets = driver.unknownStreamPackets
        summary.tlsConnections = follower.tlsConnections
        return summary
    }

    func handle(frame: UnsafeRawBufferPointer, linkType: LinkType, nanos: Int64) {
        summary.frames += 1
        clock = max(clock, nanos)
        switch PacketDecoder.decode(frame, linkType: linkType) {
        case .failure:
            summary.undecodable += 1
        case .success(let packet):
            let payload = UnsafeRawBufferPointer(rebasing: frame[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)])
            if packet.fragment == nil, packet.transport == .udp,
               driver.deliver(destination: packet.destination, source: packet.source, payload: payload, atNanos: nanos) {
                summary.rtpPackets += 1
                break
            }
            for observed in follower.follow(packet, payload: payload, nanos: nanos) { sip(observed, nanos: nanos) }
            if packet.transport != .udp {
                for sighting in follower.takeTLSSightings() {
                    summary.tlsPairs.append(sighting.description)
                    logger.warning("SIP over TLS in the capture: its sessions cannot be read from a capture, so their calls are not rebuilt", metadata: [
                        "client": "\(sighting.client)", "server": "\(sighting.server)"])
                }
            }
        }
        if nanos - lastAdvance >= 20_000_000 { advance(to: nanos) }
    }

    func sip(_ observed: SIPFrameFollower.Observed, nanos: Int64) {
        summary.sipMessages += 1
        for event in tracker.observe(observed.message, source: observed.source.description,
                                     destination: observed.destination.description, atNanos: nanos) {
            apply(event)
        }
    }

    func advance(to nanos: Int64) {
        lastAdvance = nanos
        for (pipeline, outcome) in driver.advance(toNanos: nanos) {
            guard let recording = byPipeline.removeValue(forKey: pipeline.id) else { continue }
            var (record, ending) = RecordingReport.finalRecord(recording, outcome: outcome)
            // A live recording always ends (its row is recording or paused until the files close).
            record.state = RecordingLifecycle.next(record.state, on: .ended(ending)) ?? record.state
            save(record)
            summary.recordings.append(record)
        }
    }

    func save(_ record: RecordingRecord) {
        do {
            try catalog.save(record)
        } catch {
            logger.error("catalog write failed", metadata: [
                "recording_id": "\(record.recordingId)", "domain": "\(record.domain.lowercased())", "error": "\(error)"])
        }
    }
}

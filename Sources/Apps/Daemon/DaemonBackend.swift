import Recorder
import API
import MediaCore
import Capture
import Catalog
import JSON
import LibCrypto
import NIOCore
import NIOPosix
import Pipeline
import RecordingModel
import Signalling
import Signatures
import SystemLayer

/// The REST API's view of the running daemon: catalog reads on the catalog thread, live figures from
/// the control loop.
struct DaemonBackend: APIBackend {
    let catalog: RecordingCatalog
    let catalogWorker: NIOThreadPool
    let service: RecordingService
    let sipServer: SIPServer
    let engine: MediaEngine
    let pcap: PcapStatisticsReader?
    let dataDir: String
    let totals: CaptureTotals
    let events: EventBroadcaster
    let tokens: ReplyToken
    /// When siprecd started (monotonic), and how it captures RTP: for `siprecd status`.
    let startedNanos: Int64 = monotonicNanos()
    var captureMode = "socket"
    /// The API listener's connections (open, and closed by siprecd by reason), for `/metrics`.
    var apiConnections: APIConnections?

    func replyId(for record: RecordingRecord) -> String {
        tokens.token(recordingId: record.recordingId, domain: record.domain)
    }

    func recordings(limit: Int, offset: Int, filter: RecordingFilter, domain: String?) async throws -> [RecordingRecord] {
        let catalog = catalog
        return try await catalogWorker.runIfActive {
            try catalog.recordings(limit: limit, offset: offset, filter: filter, domain: domain)
        }
    }

    func recording(id: String, domain: String?) async throws -> RecordingRecord? {
        let catalog = catalog
        let record = try await catalogWorker.runIfActive { try catalog.recording(id: id) }
        // Another tenant's recording is "not found": its id is not confirmed either.
        guard let record, Tenant.allows(domain, record.domain) else { return nil }
        return record
    }

    /// The recorder's figures with the SIP server's (box-wide only).
    @dynamicMemberLookup
    struct Snapshot: Sendable {
        var recorder = RecorderFigures()
        var dialogs = 0
        var sip = SIPStatistics()
        subscript<Value>(dynamicMember path: KeyPath<RecorderFigures, Value>) -> Value { recorder[keyPath: path] }
    }

    /// The live figures, for the whole box (`domain` nil) or one tenant's sessions and recordings.
    func snapshot(domain: String? = nil) async -> Snapshot {
        let service = service, sipServer = sipServer
        return (try? await service.eventLoop.submit {
            let recorder = RecorderFigures(service, domain: domain)
            guard domain == nil else { return Snapshot(recorder: recorder) }
            return Snapshot(recorder: recorder, dialogs: sipServer.dialogCount, sip: sipServer.report)
        }.get()) ?? Snapshot()
    }

    func health(view: APIView) async -> (healthy: Bool, body: JSONValue) {
        let s = await snapshot(domain: view.domain)
        // Low disk makes the box unhealthy: it refuses new sessions until space is freed.
        let status: (String, JSONValue) = ("status", .string(s.lowDisk ? "lowDisk" : "ok"))
        switch view {
        case .anonymous:
            // Without credentials (authentication on): whether the box is up, nothing about its calls.
            return (!s.lowDisk, .object([status]))
        case .tenant(let domain):
            return (!s.lowDisk, .object([
                status, ("version", .string(SiprecdVersion.string)), ("domain", .string(domain)),
                ("activeRecordings", .int(Int64(s.active))), ("sessions", .int(Int64(s.sessions))),
                ("uptimeSeconds", .int((monotonicNanos() - startedNanos) / 1_000_000_000)),
                ("disk", .object([("low", .bool(s.lowDisk))])),
            ]))
        case .device:
            return (!s.lowDisk, .object([
                status, ("version", .string(SiprecdVersion.string)),
                ("activeRecordings", .int(Int64(s.active))), ("sipDialogs", .int(Int64(s.dialogs))),
                ("sessions", .int(Int64(s.sessions))), ("uptimeSeconds", .int((monotonicNanos() - startedNanos) / 1_000_000_000)),
                ("capture", .string(captureMode)),
                ("disk", .object([("freeBytes", .int(s.freeBytes)), ("minFreeBytes", .int(s.minFree)), ("low", .bool(s.lowDisk))])),
            ]))
        }
    }

    func status(view: APIView) async -> JSONValue {
        guard case .object(var fields) = await health(view: view).body, view != .anonymous else { return .object([]) }
        if view == .device {
            // Box-wide: every tenant's packets, and the addresses of refused sources.
            var drops: [(String, JSONValue)] = [
                ("ringFull", .int(totals.ringFull.load(ordering: .relaxed))), ("late", .int(totals.late.load(ordering: .relaxed))),
                ("malformed", .int(totals.malformed.load(ordering: .relaxed))),
                ("unknownPayload", .int(totals.unknownPayload.load(ordering: .relaxed))),
                ("foreignSource", .int(totals.foreignSource.load(ordering: .relaxed))),
                ("srtpAuthFailed", .int(totals.srtpAuthFailed.load(ordering: .relaxed))),
                ("srtpReplayed", .int(totals.srtpReplayed.load(ordering: .relaxed))),
            ]
            if let pcap {
                let p = pcap.source.statistics()
                drops += [("pcapKernel", .int(Int64(p.droppedByKernel))), ("pcapInterface", .int(Int64(p.droppedByInterface)))]
            }
            fields.append(("drops", .object(drops)))
            let sip = await snapshot().sip
            fields.append(("sipRefusedSources", .object(sip.refusedBySource.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })))
            fields.append(("rtpPackets", .int(totals.packets.load(ordering: .relaxed))))
        }
        // For a tenant, the SRC's address is box infrastructure: left out of its entries.
        let boxFields: Set<String> = view == .device ? [] : ["source"]
        fields.append(("lastErrors", .array(RecentProblems.process.snapshot(domain: view.domain).reversed().map { entry in
            .object([("time", .string(WallClock.iso8601(entry.millis))), ("level", .string(entry.level.rawValue)),
                     ("message", .string(entry.message)), ("count", .int(Int64(entry.count))),
                     ("fields", .object(entry.metadata.filter { !boxFields.contains($0.0) }.map { ($0.0, .string($0.1)) }))])
        })))
        return .object(fields)
    }

    func metrics() async -> String {
        let s = await snapshot()
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: Int64) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("siprecd_active_recordings", "gauge", "Recordings being captured or closed.", Int64(s.active))
        metric("siprecd_sip_dialogs", "gauge", "Established SIP dialogs.", Int64(s.dialogs))
        metric("siprecd_data_free_bytes", "gauge", "Free bytes on the data directory's file system.", s.freeBytes)
        metric("siprecd_data_disk_low", "gauge", "1 while free space is below [storage] minFree (new sessions refused).", s.lowDisk ? 1 : 0)
        metric("siprecd_sessions", "gauge", "Recording sessions (SIP dialogs with an SRC, or observed calls).", Int64(s.sessions))
        metric("siprecd_sessions_not_recording", "gauge", "Sessions with no recording in progress (REST trigger awaited, or stopped).", Int64(s.waiting))
        metric("siprecd_held_rest_starts", "gauge", "REST starts held for a call key no call has yet.", Int64(s.heldStarts))
        metric("siprecd_sip_messages_received_total", "counter", "SIP messages received.", Int64(s.sip.messagesReceived))
        metric("siprecd_sip_malformed_total", "counter", "SIP messages that could not be parsed.", Int64(s.sip.malformed))
        metric("siprecd_sip_bad_requests_total", "counter", "Requests answered 400.", Int64(s.sip.badRequests))
        metric("siprecd_sip_refused_source_total", "counter", "SIP messages and TCP connections refused: their source is outside [sip] allow.", Int64(s.sip.refusedFromDisallowedSources))
        metric("siprecd_sip_dialog_mismatch_total", "counter", "In-dialog requests whose Call-ID and tags match no dialog (481).", Int64(s.sip.dialogMismatches))
        metric("siprecd_sip_retransmissions_absorbed_total", "counter", "Retransmitted requests answered from the transaction.", Int64(s.sip.retransmissionsAbsorbed))
        out += s.sip.inviteAnswer.prometheus(name: "siprecd_sip_invite_answer_seconds",
                                             help: "New INVITE received to 200 OK sent (includes the application's decision for trigger newCall).")
        metric("siprecd_sip_tcp_connections", "gauge", "Open SIP/TCP connections.", Int64(s.sip.tcpConnections))
        metric("siprecd_sip_tcp_silent_connections", "gauge", "Open SIP/TCP connections that have not sent a complete SIP message yet.", Int64(s.sip.tcpSilentConnections))
        metric("siprecd_sip_tcp_evicted_total", "counter", "Silent SIP/TCP connections closed to make room at [sip] maxTcpConnections.", Int64(s.sip.tcpEvicted))
        metric("siprecd_sip_tcp_refused_total", "counter", "SIP/TCP connections closed at once: the limit was reached and every open connection had spoken.", Int64(s.sip.tcpRefused))
        metric("siprecd_sip_tcp_timed_out_total", "counter", "SIP/TCP connections closed for sending no complete SIP message within [sip] tcpFirstMessageTimeout.", Int64(s.sip.tcpTimedOut))
        metric("siprecd_sip_tls_connections", "gauge", "Open SIP/TLS connections (also counted in siprecd_sip_tcp_connections).", Int64(s.sip.tlsConnections))
        metric("siprecd_sip_tls_handshakes_total", "counter", "SIP/TLS handshakes that finished (the SRC's certificate accepted).", Int64(s.sip.tlsHandshakes))
        metric("siprecd_sip_tls_closed_on_reload_total", "counter", "SIP/TLS connections closed because a reloaded [tls] no longer accepted their certificate.", Int64(s.sip.tlsClosedOnReload))
        metric("siprecd_sip_tls_session_requests_refused_total", "counter", "Requests of sessions set up over TLS refused: not over TLS, or from another certificate.", Int64(s.sip.tlsSessionRequestsRefused))
        out += "# HELP siprecd_sip_tls_handshake_failures_total SIP/TLS handshakes refused, by reason.\n# TYPE siprecd_sip_tls_handshake_failures_total counter\n"
        for reason in TLSSession.FailureReason.allCases {
            out += "siprecd_sip_tls_handshake_failures_total{reason=\"\(reason.rawValue)\"} \(s.sip.tlsHandshakeFailures[reason.rawValue] ?? 0)\n"
        }
        metric("siprecd_sessions_offered_total", "counter", "Recording sessions offered.", Int64(s.sip.sessionsOffered))
        metric("siprecd_sessions_rejected_total", "counter", "Recording sessions refused.", Int64(s.sip.sessionsRejected))
        out += "# HELP siprecd_calls_refused_exhausted_total Calls refused (503) because the box ran out of what a call needs, by resource.\n# TYPE siprecd_calls_refused_exhausted_total counter\n"
        for resource in CallSetupResource.allCases {
            out += "siprecd_calls_refused_exhausted_total{resource=\"\(resource.rawValue)\"} \(s.exhausted[resource] ?? 0)\n"
        }
        metric("siprecd_rtp_packets_total", "counter", "RTP datagrams that reached a recorded stream.", totals.packets.load(ordering: .relaxed))
        metric("siprecd_rtp_bytes_total", "counter", "Bytes of those datagrams.", totals.bytes.load(ordering: .relaxed))
        metric("siprecd_rtp_dropped_malformed_total", "counter", "Datagrams on a stream's port that were not RTP.", totals.malformed.load(ordering: .relaxed))
        metric("siprecd_rtp_dropped_ring_full_total", "counter", "Packets dropped because a stream's ring was full (encoder behind).", totals.ringFull.load(ordering: .relaxed))
        metric("siprecd_rtp_dropped_late_total", "counter", "Packets that arrived after their place was handed to the encoder.", totals.late.load(ordering: .relaxed))
        metric("siprecd_rtp_dropped_duplicate_total", "counter", "Duplicate packets dropped.", totals.duplicates.load(ordering: .relaxed))
        metric("siprecd_rtp_dropped_unknown_payload_total", "counter", "Packets with a payload type the session did not negotiate.", totals.unknownPayload.load(ordering: .relaxed))
        metric("siprecd_rtp_dropped_foreign_source_total", "counter", "Packets from a second sender on a stream whose own sender was active (not recorded).", totals.foreignSource.load(ordering: .relaxed))
        metric("siprecd_srtp_auth_failed_total", "counter", "SRTP and SRTCP packets whose authentication tag did not verify (not recorded).", totals.srtpAuthFailed.load(ordering: .relaxed))
        metric("siprecd_srtp_replayed_total", "counter", "SRTP and SRTCP packets refused by the replay check (not recorded).", totals.srtpReplayed.load(ordering: .relaxed))
        metric("siprecd_rtp_unknown_stream_packets_total", "counter", "RTP datagrams for no known stream.", engine.unknownStreamPackets.load(ordering: .relaxed))
        metric("siprecd_capture_loops_total", "counter", "Capture loop iterations.", engine.captureLoops.load(ordering: .relaxed))
        metric("siprecd_encoder_loops_total", "counter", "Encoder loop iterations (of the slowest encoder thread).", engine.encoderLoops)
        if let pending = try? await catalogWorker.runIfActive({ [catalog] in try catalog.pendingEventCount() }) {
            metric("siprecd_events_pending", "gauge", "Events in the outbox not delivered yet.", Int64(pending))
        }
        if let apiConnections { out += apiConnections.prometheus(name: "siprecd_api") }
        metric("siprecd_stream_table_full_total", "counter", "Streams not registered because the lookup table was full.", engine.tableFull.load(ordering: .relaxed))
        if let pcap {
            let p = pcap.source.statistics()
            metric("siprecd_pcap_received_total", "counter", "Packets libpcap received (pcap_stats ps_recv).", Int64(p.received))
            metric("siprecd_pcap_kernel_drops_total", "counter", "Packets the kernel dropped (pcap_stats ps_drop).", Int64(p.droppedByKernel))
            metric("siprecd_pcap_interface_drops_total", "counter", "Packets the interface dropped (ps_ifdrop).", Int64(p.droppedByInterface))
            metric("siprecd_pcap_delivered_total", "counter", "UDP datagrams handed to the reassembler lookup.", Int64(p.delivered))
            metric("siprecd_pcap_undecodable_total", "counter", "Captured frames that were not IP/UDP.", Int64(p.undecodable))
        }
        return out
    }
}

/// Lets the API read a pcap source's counters from its own thread.
struct PcapStatisticsReader: @unchecked Sendable {
    // @unchecked: `statistics()` only loads atomics that the capture thread stores.
    let source: PcapPacketSource
}

import Archive
import Config
import MediaCore
import Pipeline
import Signalling

/// Settings the recording service needs, derived from the configuration.
public struct RecordingSettings: Sendable {
    public var dataDir: String
    public var mediaHost: String
    public var rtpTimeout: Duration
    /// At 8 kHz; a recording's own timing is this at its master's rate.
    public var timing: ReassemblyTiming
    public var encoder: EncoderSettings
    /// `[media] masterRate`: the rate of each recording's master.
    public var masterRate = MasterRate.auto
    /// `[media] concealment`: lost packets silent, or concealed by the decoder.
    public var concealment = LossConcealment.silence
    /// `[media] srtp` and `sdesOverPlainSIP`: which transports the answer takes, and SDES keys over plain SIP.
    public var srtp = SRTPMode.optional
    public var sdesOverPlainSIP = false
    /// Process-wide capture counters every stream counts into.
    public var totals = CaptureTotals()
    /// `[[rules]]`: the first match decides a session's call key and role.
    public var rules: [RecordingRule] = []
    /// How long a REST start for an unknown call key waits for its call (0: answered 404 at once).
    public var pendingStart: Duration = .seconds(30)
    /// `[webhooks]`: newCall decisions, events and alarms.
    public var webhooks = WebhooksSettings()
    /// `[storage] tempRetention`: how long a finished recording stays in the temporary store.
    public var tempRetention: Duration = .seconds(48 * 3_600)
    /// `[storage] minFree`: below this many free bytes new sessions are refused.
    public var minFree: Int64 = 512_000_000
    /// `[buckets.NAME]`: STORERECORDING destinations.
    public var buckets: [String: BucketSettings] = [:]
    /// `[keys]` and `[storage] inlineKeys`: STORERECORDING's encryption keys.
    public var keys: [String: [UInt8]] = [:]
    public var inlineKeys = false
    /// `[sip] heldSessionTimeout` and `heldSessionProbe`: held sessions whose SRC went silent.
    public var heldSessionTimeout: Duration = .seconds(4 * 3_600)
    public var heldSessionProbe: Duration = .seconds(60)

    public init(dataDir: String, mediaHost: String, rtpTimeout: Duration, timing: ReassemblyTiming, encoder: EncoderSettings) {
        self.dataDir = dataDir
        self.mediaHost = mediaHost
        self.rtpTimeout = rtpTimeout
        self.timing = timing
        self.encoder = encoder
    }
}

extension RecordingSettings {
    /// The settings `siprecd run` derives from the configuration (also used by replay).
    public static func from(_ config: Config.SiprecdConfig, dataDir: String? = nil) -> RecordingSettings {
        let encoder = EncoderSettings(mp3Bitrate: config.media.mp3Bitrate, mp3Quality: config.media.mp3Quality, mp3: config.media.mp3)
        let reorderWindow = max(160, config.media.reorderWindow.samples8k)
        // [media] streamBuffer (default 8 s: 64 Ki samples, 128 KB per stream), at least the reorder window,
        // the jump threshold and two encoder steps. What is left over is the encoder's slack: a stream whose
        // encoder falls further behind counts ring-full drops (BENCHMARKS.md §9 measures 8 s and 2 s).
        let timing = ReassemblyTiming(reorderWindow: reorderWindow, jumpThreshold: 8000,
                                      ringCapacity: max(Int(config.media.streamBuffer.samples8k), Int(reorderWindow) + 8000 + 2 * encoder.chunkFrames))
        var settings = RecordingSettings(dataDir: dataDir ?? config.storage.dataDir,
                                         mediaHost: config.sip.listen.first?.address.host ?? "127.0.0.1",
                                         rtpTimeout: config.media.rtpTimeout, timing: timing, encoder: encoder)
        settings.rules = config.rules
        settings.pendingStart = config.api.pendingStart
        settings.webhooks = config.webhooks
        settings.tempRetention = config.storage.tempRetention
        settings.minFree = config.storage.minFree
        settings.buckets = config.buckets
        settings.keys = config.keys
        settings.inlineKeys = config.storage.inlineKeys
        settings.heldSessionTimeout = config.sip.heldSessionTimeout
        settings.heldSessionProbe = config.sip.heldSessionProbe
        settings.masterRate = config.media.masterRate
        settings.concealment = config.media.concealment
        settings.srtp = config.media.srtp
        settings.sdesOverPlainSIP = config.media.sdesOverPlainSIP
        return settings
    }

    /// What the temporary store and the buckets take of these settings.
    var archive: ArchiveSettings {
        var archive = ArchiveSettings(dataDir: dataDir)
        archive.tempRetention = tempRetention
        archive.minFree = minFree
        archive.buckets = buckets
        archive.keys = keys
        archive.inlineKeys = inlineKeys
        archive.mp3Bitrate = encoder.mp3Bitrate
        archive.mp3Quality = encoder.mp3Quality
        return archive
    }

    /// The settings after a reload (SIGHUP) to `fresh`: the data plane's shape (data directory, media host,
    /// reassembly timing, encoder, counters) stays as it started; everything else is `fresh`'s.
    func reloaded(from fresh: Config.SiprecdConfig) -> RecordingSettings {
        var updated = RecordingSettings.from(fresh)
        updated.dataDir = dataDir
        updated.mediaHost = mediaHost
        updated.timing = timing
        updated.encoder = encoder
        updated.totals = totals
        return updated
    }

    /// Replay settings: as live.
    public static func forReplay(_ config: Config.SiprecdConfig) -> RecordingSettings { from(config) }
}

extension Duration {
    /// Whole 8 kHz samples in this duration.
    var samples8k: Int64 {
        components.seconds * 8000 + components.attoseconds / 125_000_000_000_000
    }
}

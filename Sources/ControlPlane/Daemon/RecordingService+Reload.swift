import Events
import Config

/// SIGHUP: what can change without dropping calls is applied at once (rules, webhooks, buckets, keys,
/// retention, watermark, pending starts); what cannot is named in the log as needing a restart.
extension RecordingService {
    func reload(from fresh: SiprecdConfig, running: SiprecdConfig) {
        var updated = RecordingSettings.from(fresh)
        // The data plane's shape stays as it started.
        updated.dataDir = settings.dataDir
        updated.mediaHost = settings.mediaHost
        updated.timing = settings.timing
        updated.encoder = settings.encoder
        updated.totals = settings.totals
        updated.rtpTimeout = fresh.media.rtpTimeout
        settings = updated
        archiver.settings = updated.archive
        temporaryStore.settings = updated.archive
        publisher.configure(fresh.webhooks)
        var restart: [String] = []
        if fresh.sip != running.sip { restart.append("[sip]") }
        if fresh.api.listen != running.api.listen || fresh.api.auth != running.api.auth || fresh.api.jwtSecret != running.api.jwtSecret
            || fresh.api.jwtPublicKeyFile != running.api.jwtPublicKeyFile || fresh.api.basicUsers != running.api.basicUsers {
            restart.append("[api] (listen, auth)")
        }
        if fresh.storage.dataDir != running.storage.dataDir { restart.append("storage.dataDir") }
        if fresh.media.rtpPorts != running.media.rtpPorts || fresh.media.capture != running.media.capture
            || fresh.media.interface != running.media.interface || fresh.media.captureBuffer != running.media.captureBuffer
            || fresh.media.mp3Bitrate != running.media.mp3Bitrate || fresh.media.mp3Quality != running.media.mp3Quality
            || fresh.media.mp3 != running.media.mp3 || fresh.media.streamBuffer != running.media.streamBuffer
            || fresh.media.reorderWindow != running.media.reorderWindow {
            restart.append("[media] (ports, capture, encoder)")
        }
        if fresh.webhooks.secret != running.webhooks.secret || fresh.webhooks.base.isEmpty != running.webhooks.base.isEmpty {
            restart.append("webhooks delivery (secret, on/off)")
        }
        logger.notice("configuration reloaded: rules, webhooks, buckets, keys, retention, minFree, pendingStart, rtpTimeout and the SRTP policy applied", metadata: [
            "rules": "\(fresh.rules.count)", "buckets": "\(fresh.buckets.keys.sorted().joined(separator: ","))",
            "needs_restart": "\(restart.isEmpty ? "nothing" : restart.joined(separator: ", "))"])
    }
}

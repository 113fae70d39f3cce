import Events
import Config

/// SIGHUP: what can change without dropping calls is applied at once (rules, webhooks, buckets, keys,
/// retention, watermark, pending starts); what cannot is named in the log as needing a restart.
extension RecordingService {
    public func reload(from fresh: SiprecdConfig, running: SiprecdConfig) {
        let updated = settings.reloaded(from: fresh)
        settings = updated
        archiver.settings = updated.archive
        temporaryStore.settings = updated.archive
        publisher.configure(fresh.webhooks)
        let restart = fresh.needsRestart(comparedTo: running)
        logger.notice("configuration reloaded: rules, webhooks, buckets, keys, retention, minFree, pendingStart, rtpTimeout and the SRTP policy applied", metadata: [
            "rules": "\(fresh.rules.count)", "buckets": "\(fresh.buckets.keys.sorted().joined(separator: ","))",
            "needs_restart": "\(restart.isEmpty ? "nothing" : restart.joined(separator: ", "))"])
    }
}

extension SiprecdConfig {
    /// What a reload (SIGHUP) from `running` to this configuration cannot apply while calls run: the
    /// sections that need a restart, as the log names them (empty: everything was applied).
    public func needsRestart(comparedTo running: SiprecdConfig) -> [String] {
        var restart: [String] = []
        if sip != running.sip { restart.append("[sip]") }
        if api.listen != running.api.listen || api.auth != running.api.auth || api.jwtSecret != running.api.jwtSecret
            || api.jwtPublicKeyFile != running.api.jwtPublicKeyFile || api.basicUsers != running.api.basicUsers {
            restart.append("[api] (listen, auth)")
        }
        if storage.dataDir != running.storage.dataDir { restart.append("storage.dataDir") }
        if media.rtpPorts != running.media.rtpPorts || media.capture != running.media.capture
            || media.interface != running.media.interface || media.captureBuffer != running.media.captureBuffer
            || media.mp3Bitrate != running.media.mp3Bitrate || media.mp3Quality != running.media.mp3Quality
            || media.mp3 != running.media.mp3 || media.streamBuffer != running.media.streamBuffer
            || media.reorderWindow != running.media.reorderWindow {
            restart.append("[media] (ports, capture, encoder)")
        }
        if webhooks.secret != running.webhooks.secret || webhooks.base.isEmpty != running.webhooks.base.isEmpty {
            restart.append("webhooks delivery (secret, on/off)")
        }
        return restart
    }
}

/// Writing the effective configuration back as TOML (`siprecd config show`).
extension SiprecdConfig {
    /// The effective configuration as a TOML document with every key and its value, including the
    /// sections kept in ``extra``. Optional keys that are unset (``APISettings/jwtSecret``) are omitted.
    /// Secrets are printed as configured. Parsing the result yields an equal configuration.
    public func renderTOML() -> String {
        "# siprecd effective configuration\n\n" + asTOMLTable().renderDocument()
    }

    /// The effective configuration with every secret replaced by `"***"` (what `siprecd config show`
    /// prints, so it can be pasted into a ticket): JWT secret, Basic passwords, the webhook secret, S3
    /// secret keys and `[keys]`.
    public func renderTOMLMaskingSecrets() -> String {
        var masked = self
        if masked.api.jwtSecret != nil { masked.api.jwtSecret = "***" }
        masked.api.basicUsers = masked.api.basicUsers.mapValues { _ in "***" }
        if !masked.webhooks.secret.isEmpty { masked.webhooks.secret = "***" }
        var table = masked.asTOMLTable()
        if var keys = table["keys"]?.tableValue {
            for key in keys.keys { keys[key] = .string("***") }
            table["keys"] = .table(keys)
        }
        if var buckets = table["buckets"]?.tableValue {
            for name in buckets.keys {
                guard var bucket = buckets[name]?.tableValue, bucket["secretAccessKey"] != nil else { continue }
                bucket["secretAccessKey"] = .string("***")
                buckets[name] = .table(bucket)
            }
            table["buckets"] = .table(buckets)
        }
        return "# siprecd effective configuration (secrets shown as ***)\n\n" + table.renderDocument()
    }

    /// The configuration as a TOML table, in the same shape the file uses.
    public func asTOMLTable() -> TOMLTable {
        var root = TOMLTable()
        root["sip"] = .table(TOMLTable([
            "listen": .array(sip.listen.map { .string($0.description) }),
            "allow": .array(sip.allow.map { .string($0.description) }),
            "maxMessageSize": .integer(Int64(sip.maxMessageSize)),
            "mode": .string(sip.mode.rawValue),
            "recordPlainCalls": .bool(sip.recordPlainCalls),
            "maxTcpConnections": .integer(Int64(sip.maxTCPConnections)),
            "tcpFirstMessageTimeout": .string(ConfigDuration.format(sip.tcpFirstMessageTimeout)),
            "heldSessionTimeout": .string(ConfigDuration.format(sip.heldSessionTimeout)),
            "heldSessionProbe": .string(ConfigDuration.format(sip.heldSessionProbe)),
            "sessionExpires": .string(ConfigDuration.format(sip.sessionExpires)),
            "minSessionExpires": .string(ConfigDuration.format(sip.minSessionExpires)),
            "reconnectGrace": .string(ConfigDuration.format(sip.reconnectGrace)),
        ]))
        root["tls"] = .table(TOMLTable([
            "certificate": .string(tls.certificate), "key": .string(tls.key), "clientCA": .string(tls.clientCA),
            "requireClientCertificate": .bool(tls.requireClientCertificate), "minVersion": .string(tls.minVersion.rawValue),
            "allowedPeerNames": .array(tls.allowedPeerNames.map { .string($0) }), "ciphers": .string(tls.ciphers),
        ]))
        root["media"] = .table(TOMLTable([
            "rtpPorts": .string(media.rtpPorts.description),
            "capture": .string(media.capture.rawValue),
            "interface": .string(media.interface),
            "rtpTimeout": .string(ConfigDuration.format(media.rtpTimeout)),
            "reorderWindow": .string(ConfigDuration.format(media.reorderWindow)),
            "mp3Bitrate": .integer(Int64(media.mp3Bitrate)),
            "mp3Quality": .integer(Int64(media.mp3Quality)),
            "captureBuffer": .string(ByteSize.format(media.captureBuffer)),
            "mp3": .bool(media.mp3),
            "streamBuffer": .string(ConfigDuration.format(media.streamBuffer)),
            "concealment": .string(media.concealment.rawValue),
            "srtp": .string(media.srtp.rawValue),
            "sdesOverPlainSIP": .bool(media.sdesOverPlainSIP),
            "masterRate": media.masterRate == .auto ? .string("auto") : .integer(Int64(media.masterRate.rate(wideband: false))),
        ]))
        root["storage"] = .table(TOMLTable([
            "dataDir": .string(storage.dataDir),
            "tempRetention": .string(ConfigDuration.format(storage.tempRetention)),
            "minFree": .string(ByteSize.format(storage.minFree)),
            "inlineKeys": .bool(storage.inlineKeys),
        ]))
        var apiTable = TOMLTable([
            "listen": .string(api.listen.description),
            "auth": .string(api.auth),
        ])
        if let secret = api.jwtSecret { apiTable["jwtSecret"] = .string(secret) }
        if let file = api.jwtPublicKeyFile { apiTable["jwtPublicKeyFile"] = .string(file) }
        var users = TOMLTable()
        for user in api.basicUsers.keys.sorted() { users[user] = .string(api.basicUsers[user] ?? "") }
        apiTable["basicUsers"] = .table(users)
        apiTable["pendingStart"] = .string(ConfigDuration.format(api.pendingStart))
        apiTable["controlSocket"] = .string(api.controlSocket)
        apiTable["headerTimeout"] = .string(ConfigDuration.format(api.headerTimeout))
        apiTable["idleTimeout"] = .string(ConfigDuration.format(api.idleTimeout))
        apiTable["maxConnections"] = .integer(Int64(api.maxConnections))
        apiTable["publicMetrics"] = .bool(api.publicMetrics)
        root["api"] = .table(apiTable)
        root["webhooks"] = .table(TOMLTable([
            "base": .string(webhooks.base), "alarms": .string(webhooks.alarms), "secret": .string(webhooks.secret),
            "newCallTimeout": .string(ConfigDuration.format(webhooks.newCallTimeout)),
            "newCallDefault": .bool(webhooks.newCallDefault), "newCallReject": .integer(Int64(webhooks.newCallReject)),
        ]))
        root["audio"] = .table(TOMLTable(["device": .string(audio.device)]))
        for entry in extra { root[entry.key] = entry.value }
        return root
    }
}

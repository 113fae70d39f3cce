import Testing
import Config

@Suite("[tls] and tls: listeners")
struct TLSSettingsTests {
    static let files = """
        [tls]
        certificate = "/etc/siprecd/tls/server.pem"
        key = "/etc/siprecd/tls/server.key"
        clientCA = "/etc/siprecd/tls/sbc-ca.pem"

        """

    @Test("the product's example loads: a tls: listener, the certificate, the client CA, mutual TLS by default")
    func productExample() throws {
        let config = try SiprecdConfig.parse(toml: """
            [sip]
            listen = ["udp:0.0.0.0:5060", "tcp:0.0.0.0:5060", "tls:0.0.0.0:5061"]
            [tls]
            certificate = "/etc/siprecd/tls/server.pem"
            key = "/etc/siprecd/tls/server.key"
            clientCA = "/etc/siprecd/tls/sbc-ca.pem"
            requireClientCertificate = true
            minVersion = "1.2"
            allowedPeerNames = ["SBC1.example.com", "10.0.0.7"]
            """)
        #expect(config.sip.listen.last == ListenAddress(transport: .tls, address: HostPort(host: "0.0.0.0", port: 5061)))
        #expect(config.tls.clientCA == "/etc/siprecd/tls/sbc-ca.pem")
        #expect(config.tls.requireClientCertificate)
        #expect(config.tls.minVersion == .tls12)
        #expect(config.tls.allowedPeerNames == ["sbc1.example.com", "10.0.0.7"])
        #expect(try SiprecdConfig.parse(toml: config.renderTOML()) == config)
    }

    @Test("a listen address without a port gets its transport's: 5061 for TLS, 5060 otherwise")
    func defaultPorts() {
        #expect(ListenAddress(parsing: "tls:0.0.0.0")?.address.port == 5061)
        #expect(ListenAddress(parsing: "TLS:[::1]")?.address == HostPort(host: "::1", port: 5061))
        #expect(ListenAddress(parsing: "udp:10.0.0.5")?.address.port == 5060)
        #expect(ListenAddress(parsing: "tls:10.0.0.5:15061")?.address.port == 15061)
        #expect(ListenAddress(parsing: "dtls:10.0.0.5") == nil)
    }

    @Test("a tls: listener needs a certificate and key, and a client CA while client certificates are required", arguments: [
        ("[sip]\nlisten = [\"tls:0.0.0.0\"]\n",
         "'sip.listen' has a tls: address, so [tls] needs 'certificate' and 'key' (siprecd's PEM certificate chain and its private key)"),
        ("[sip]\nlisten = [\"tls:0.0.0.0\"]\n[tls]\ncertificate = \"a.pem\"\nkey = \"a.key\"\n",
         "'tls.requireClientCertificate' is true (the default) but 'tls.clientCA' is not set: name the PEM bundle of the CAs that sign your SRCs' certificates, or set requireClientCertificate = false to accept SRCs without one"),
    ])
    func requiredFiles(text: String, message: String) {
        #expect(throws: ConfigError(code: .invalidValue, line: nil, message: message)) { try SiprecdConfig.parse(toml: text) }
    }

    @Test("allowedPeerNames without required client certificates is refused: an SRC without one would pass it by")
    func namesNeedCertificates() {
        let text = "[sip]\nlisten = [\"tls:0.0.0.0\"]\n[tls]\ncertificate = \"a.pem\"\nkey = \"a.key\"\nrequireClientCertificate = false\nallowedPeerNames = [\"sbc1.example.com\"]\n"
        let message = "'tls.allowedPeerNames' only binds SRCs that present a certificate, and with requireClientCertificate = false "
            + "an SRC without one gets in regardless: set requireClientCertificate = true (with clientCA), or drop allowedPeerNames"
        #expect(throws: ConfigError(code: .invalidValue, line: nil, message: message)) { try SiprecdConfig.parse(toml: text) }
    }

    @Test("without client certificates no client CA is needed; passive mode only watches tls: ports")
    func optionalFiles() throws {
        let open = try SiprecdConfig.parse(toml: "[sip]\nlisten = [\"tls:0.0.0.0\"]\n[tls]\ncertificate = \"a.pem\"\nkey = \"a.key\"\nrequireClientCertificate = false\n")
        #expect(!open.tls.requireClientCertificate)
        let passive = try SiprecdConfig.parse(toml: "[sip]\nmode = \"passive\"\nlisten = [\"udp:0.0.0.0:5060\", \"tls:0.0.0.0\"]\n[media]\ncapture = \"pcap\"\ninterface = \"eth0\"\n")
        #expect(passive.sip.listen.count == 2)
    }

    @Test("wrong [tls] values name the key and line", arguments: [
        (files + "minVersion = \"1.1\"", 5, "'tls.minVersion' has an invalid value \"1.1\": expected a TLS version like \"1.2\" or \"1.3\""),
        (files + "allowedPeerNames = [\"sbc 1\"]", 5, "'tls.allowedPeerNames' has an invalid entry \"sbc 1\": expected a DNS name or an IP address like \"sbc1.example.com\""),
        (files + "requireClientCertificate = \"yes\"", 5, "'tls.requireClientCertificate' must be true or false, found a string"),
        (files + "ciphers = \"AES GCM\"", 5, "'tls.ciphers' must be an OpenSSL cipher list without spaces, like \"ECDHE+AESGCM:ECDHE+CHACHA20\""),
        (files + "certficate = \"x\"", 5, "unknown key 'tls.certficate' (did you mean 'certificate'?)"),
    ])
    func invalidValues(text: String, line: Int, message: String) {
        let error = #expect(throws: ConfigError.self) { try SiprecdConfig.parse(toml: text) }
        #expect(error?.line == line)
        #expect(error?.message == message)
    }

    @Test("SIPRECD_TLS_* environment variables set [tls] keys")
    func environment() throws {
        let config = try SiprecdConfig.defaults.applyingEnvironment([("SIPRECD_TLS_MINVERSION", "1.3"), ("SIPRECD_TLS_CLIENTCA", "/ca.pem")])
        #expect(config.tls.minVersion == .tls13)
        #expect(config.tls.clientCA == "/ca.pem")
    }
}

import Testing
@testable import Config

@Suite("What a reload cannot apply")
struct ReloadTests {
    @Test("rules, webhooks' URLs, buckets, keys and retention apply at once; listeners, ports, the encoder and the data directory need a restart")
    func needsRestart() throws {
        let running = try SiprecdConfig.parse(toml: "[webhooks]\nbase = \"http://127.0.0.1:9000/hooks\"\n")
        let applied = try SiprecdConfig.parse(toml: """
            [webhooks]
            base = "http://127.0.0.1:9001/other"
            [storage]
            tempRetention = "2h"
            [[rules]]
            trigger = "rest"
            """)
        #expect(applied.needsRestart(comparedTo: running) == [])
        let restart = try SiprecdConfig.parse(toml: """
            [sip]
            listen = ["udp:127.0.0.1:5080"]
            [media]
            mp3Bitrate = 64
            [storage]
            dataDir = "/srv/recordings"
            """)
        #expect(restart.needsRestart(comparedTo: running)
            == ["[sip]", "storage.dataDir", "[media] (ports, capture, encoder)", "webhooks delivery (secret, on/off)"])
    }
}

import Testing
import Config

@Suite("Configuration value types")
struct ValueTypeTests {
    @Test("Addresses are read as host and port, with IPv6 in brackets")
    func hostPort() throws {
        let v4 = try #require(HostPort(parsing: "127.0.0.1:5060"))
        #expect(v4.host == "127.0.0.1" && v4.port == 5060)
        let v6 = try #require(HostPort(parsing: "[::1]:5060"))
        #expect(v6.host == "::1" && v6.port == 5060 && v6.description == "[::1]:5060")
        #expect(HostPort(parsing: "0.0.0.0:8080")?.description == "0.0.0.0:8080")
        #expect(HostPort(parsing: "recorder.example:5060")?.host == "recorder.example")
        for bad in ["127.0.0.1", "::1:5060", "[::1]5060", "host:", "host:65536", "1.2.3.4:-1", ":5060", "999.1.1.1:5060", "[nothex]:1"] {
            #expect(HostPort(parsing: bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test("Listen addresses need a udp, tcp or tls transport in front of the address")
    func listenAddress() {
        #expect(ListenAddress(parsing: "udp:0.0.0.0:5060") == ListenAddress(transport: .udp, address: HostPort(host: "0.0.0.0", port: 5060)))
        #expect(ListenAddress(parsing: "tcp:[::]:5061")?.description == "tcp:[::]:5061")
        #expect(ListenAddress(parsing: "tls:0.0.0.0:5061") == ListenAddress(transport: .tls, address: HostPort(host: "0.0.0.0", port: 5061)))
        #expect(ListenAddress(parsing: "sctp:0.0.0.0:5061") == nil)
        #expect(ListenAddress(parsing: "0.0.0.0:5060") == nil)
        #expect(ListenAddress.udpAndTCP(HostPort(host: "10.0.0.1", port: 5080)).map(\.description) == ["udp:10.0.0.1:5080", "tcp:10.0.0.1:5080"])
    }

    @Test("Port ranges must be ordered, within 1-65535, and RTP ranges start even with at least two ports")
    func portRange() {
        #expect(PortRange(parsing: "20000-29999") == PortRange(low: 20000, high: 29999))
        #expect(PortRange(parsing: "20001-29999")?.evenAligned == PortRange(low: 20002, high: 29999))
        #expect(PortRange(parsing: "20001-20002")?.evenAligned == nil)
        #expect(PortRange(parsing: "20000-20001")?.evenAligned?.count == 2)
        for bad in ["0-10", "10-5", "1-65536", "20000", "a-b", "-1-5", "1-2-3"] {
            #expect(PortRange(parsing: bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test("Allow-list networks match IPv4, IPv6 and IPv4-mapped peers by prefix")
    func cidr() throws {
        let ten = try #require(CIDRBlock(parsing: "10.0.0.0/8"))
        #expect(ten.contains("10.200.3.4"))
        #expect(ten.contains("::ffff:10.1.2.3"))
        #expect(!ten.contains("11.0.0.1"))
        #expect(!ten.contains("not an address"))
        let host = try #require(CIDRBlock(parsing: "192.0.2.7"))
        #expect(host.description == "192.0.2.7/32")
        #expect(host.contains("192.0.2.7") && !host.contains("192.0.2.8"))
        let loopback = try #require(CIDRBlock(parsing: "::1/128"))
        #expect(loopback.contains("::1") && loopback.contains("[::1]") && !loopback.contains("::2"))
        #expect(!loopback.contains("127.0.0.1"))
        let doc = try #require(CIDRBlock(parsing: "2001:db8:0:0:1::/32"))
        #expect(doc.description == "2001:db8::/32")
        #expect(doc.contains("2001:db8:ffff::1"))
        #expect(CIDRBlock(parsing: "10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDRBlock(parsing: "0.0.0.0/0")?.contains("8.8.8.8") == true)
        for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "1.2.3.4/", "01.2.3.4", "1::2::3", "10.0.0.0/-1"] {
            #expect(CIDRBlock(parsing: bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test("Durations combine ms, s, m and h terms and print back the same way")
    func durations() {
        #expect(ConfigDuration.parse("500ms") == .milliseconds(500))
        #expect(ConfigDuration.parse("30s") == .seconds(30))
        #expect(ConfigDuration.parse("2m") == .seconds(120))
        #expect(ConfigDuration.parse("48h") == .seconds(48 * 3600))
        #expect(ConfigDuration.parse("1h30m") == .seconds(5400))
        #expect(ConfigDuration.parse("0s") == .zero)
        #expect(ConfigDuration.parse("0") == .zero)
        for bad in ["", "30", "s", "-1s", "1.5s", "30 s", "10d", "1h30"] {
            #expect(ConfigDuration.parse(bad) == nil, "\(bad) should be rejected")
        }
        #expect(ConfigDuration.format(.seconds(5400)) == "1h30m")
        #expect(ConfigDuration.format(.milliseconds(1500)) == "1s500ms")
        #expect(ConfigDuration.format(.zero) == "0s")
    }

    @Test("Byte sizes use decimal MB and binary MiB units")
    func byteSizes() {
        #expect(ByteSize.parse("512MB") == 512_000_000)
        #expect(ByteSize.parse("1GiB") == 1 << 30)
        #expect(ByteSize.parse("100kB") == 100_000)
        #expect(ByteSize.parse("0") == 0)
        #expect(ByteSize.parse("4096") == 4096)
        for bad in ["", "MB", "-1MB", "1.5GB", "12XB", "99999999999TB"] {
            #expect(ByteSize.parse(bad) == nil, "\(bad) should be rejected")
        }
        #expect(ByteSize.format(512_000_000) == "512MB")
        #expect(ByteSize.format(1 << 30) == "1GiB")
        #expect(ByteSize.format(1234) == "1234B")
        #expect(ByteSize.format(0) == "0")
    }
}

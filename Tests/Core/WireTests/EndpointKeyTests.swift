import Testing
@testable import Wire

@Suite("Endpoint keys")
struct EndpointKeyTests {
    @Test("IPv4 and IPv6 addresses parse, print back, and IPv4 is stored IPv4-mapped")
    func parsing() throws {
        let v4 = try #require(EndpointKey(address: "192.0.2.10", port: 20000))
        #expect(v4.isIPv4 && v4.description == "192.0.2.10:20000")
        #expect(v4 == EndpointKey(ipv4: 0xC000_020A, port: 20000))
        let v6 = try #require(EndpointKey(address: "2001:db8::5", port: 5060))
        #expect(!v6.isIPv4 && v6.addressString == "2001:db8:0:0:0:0:0:5")
        #expect(EndpointKey(address: "::", port: 1)?.isWildcard == true)
        #expect(EndpointKey(address: "0.0.0.0", port: 1)?.isWildcard == true)
        for bad in ["1.2.3", "256.1.1.1", "1::2::3", "abc", "", "1:2:3:4:5:6:7:8:9"] {
            #expect(EndpointKey(address: bad, port: 1) == nil, "\(bad) must not parse")
        }
    }
}

extension SiprecdConfig {
    /// Settings that are valid but very likely not what the installer meant: logged at start and printed by
    /// `siprecd config check` and `config show`. Each names the keys to change.
    public var warnings: [String] {
        var found: [String] = []
        let offLoopback = sip.listen.filter { !$0.address.isLoopback }
        if media.capture == .pcap, media.interface == "lo", let first = offLoopback.first {
            found.append("SIP listens on \(first) (off loopback) but RTP is captured on 'lo': calls from other hosts "
                + "will be answered and recorded as silence. Set 'media.interface' (or --interface) to the network interface "
                + "the SRC sends RTP to, e.g. \"eth0\"")
        }
        return found
    }
}

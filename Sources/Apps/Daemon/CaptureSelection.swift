import Capture
import Config
import Logging

/// Chooses the RTP capture source from the configuration: libpcap when asked for and allowed, otherwise
/// sockets — saying why in the log, and going on working.
struct CaptureSelection {
    var source: PacketSource
    /// "pcap" or "socket": what actually runs.
    var mode: String
    /// SO_RCVBUF of RTP sockets. In pcap mode the sockets only stay bound (so the SRC gets no ICMP port
    /// unreachable); the kernel queues into a minimal buffer that is never read, and drops the rest.
    var socketReceiveBuffer: Int32

    static func open(config: SiprecdConfig, logger: Logger) -> CaptureSelection {
        let socketMode = CaptureSelection(source: SocketPacketSource(), mode: "socket", socketReceiveBuffer: 256 * 1024)
        guard config.media.capture == .pcap else { return socketMode }
        let (allowed, reason) = CaptureCapabilities.canCapture()
        guard allowed else {
            logger.warning("pcap capture needs CAP_NET_RAW (\(reason)); capturing RTP with sockets instead")
            return socketMode
        }
        let ports = config.media.rtpPorts
        let settings = PcapSettings(interface: config.media.interface, bufferBytes: Int(config.media.captureBuffer),
                                    filter: PcapPacketSource.rtpFilter(ports: ports.low...ports.high, sipPort: nil))
        do {
            let source = try PcapPacketSource(settings: settings)
            for warning in source.warnings { logger.warning("pcap: \(warning)") }
            logger.info("capturing RTP with libpcap", metadata: [
                "interface": "\(settings.interface)", "filter": "\(source.compiledFilter)",
                "buffer_bytes": "\(settings.bufferBytes)"])
            return CaptureSelection(source: source, mode: "pcap", socketReceiveBuffer: 1)
        } catch {
            logger.warning("pcap capture unavailable (\(error)); capturing RTP with sockets instead")
            return socketMode
        }
    }
}

import CBcg729
import MediaCore

/// bcg729's own decode loop over the payloads of `workload` (two 10-byte frames each, one decoder per
/// stream): the reference the reassembler's G.729 path is measured against. CPU ns per packet.
func bcg729DecodeLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let channels = (0..<workload.streams).map { _ in initBcg729DecoderChannel()! }
    defer { for channel in channels { closeBcg729DecoderChannel(channel) } }
    let output = UnsafeMutablePointer<Int16>.allocate(capacity: 160)
    defer { output.deallocate() }
    let bytes = UnsafeRawPointer(workload.bytes).assumingMemoryBound(to: UInt8.self)
    var checksum = 0
    func decode(_ i: Int) {
        let payload = bytes + i * workload.packetSize + RTPWorkload.headerBytes
        let channel = channels[Int(workload.streamIndex[i])]
        bcg729Decoder(channel, payload, 10, 0, 0, 0, output)
        bcg729Decoder(channel, payload + 10, 10, 0, 0, 0, output + 80)
        checksum &+= Int(output[79])
    }
    for i in 0..<warmup { decode(i) }
    let cpu0 = Measure.cpu()
    for i in warmup..<workload.count { decode(i) }
    let cpu = Measure.cpu() - cpu0
    if checksum == 42 { print("") }  // keeps the loop from being optimised away
    return Double(cpu) / Double(workload.count - warmup)
}

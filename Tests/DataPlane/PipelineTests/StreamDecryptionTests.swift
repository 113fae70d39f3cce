import Testing
import MediaCore
import SIPCore
import SRTP
import TestSupport
@testable import Pipeline

private func crypto(_ line: String) -> SDPCrypto { try! SDPCrypto(parsing: line[...]) }
private let first = crypto("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")
private let second = crypto("2 AES_CM_128_HMAC_SHA1_80 inline:QS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")

private func rtp(_ sender: SRTPSender, _ sequence: UInt16) -> [UInt8] {
    sender.protect(RTPPacketBuilder(sequenceNumber: sequence, timestamp: UInt32(sequence) * 160, ssrc: 0xC0FFEE,
                                    payload: (0..<160).map { UInt8(truncatingIfNeeded: Int($0) + Int(sequence)) }).build())
}

@Suite("Stream decryption (data plane SRTP)")
struct StreamDecryptionTests {
    /// Each test's own (Swift Testing makes an instance per test).
    let scratch = PacketScratch()

    /// What `open` made of a datagram: the plain RTP's sequence number and length, "rtcp" or "dropped".
    private func open(_ decryption: StreamDecryption, _ datagram: [UInt8]) -> String {
        datagram.withUnsafeBytes { bytes in
            switch decryption.open(bytes, in: scratch) {
            case .rtp(let plain): return "rtp \(Int(plain[2]) << 8 | Int(plain[3])) \(plain.count)"
            case .rtcp: return "rtcp"
            case .dropped: return "dropped"
            }
        }
    }

    @Test("A re-key: packets sent under the old key before the switch still decrypt, until the new key has carried 256")
    func rekeyOverlap() throws {
        let counters = StreamCounters()
        let old = try SRTPSender(crypto: first), new = try SRTPSender(crypto: second)
        let decryption = StreamDecryption(try SRTPReceiver(crypto: first), counters: counters, totals: nil)
        for sequence: UInt16 in 0..<10 { #expect(open(decryption, rtp(old, sequence)) == "rtp \(sequence) 172") }
        let late = rtp(old, 10)
        decryption.rekey(try SRTPReceiver(crypto: second))
        #expect(open(decryption, rtp(new, 11)) == "rtp 11 172")
        #expect(open(decryption, late) == "rtp 10 172")
        for sequence: UInt16 in 12..<(12 + UInt16(StreamDecryption.overlapPackets)) { _ = open(decryption, rtp(new, sequence)) }
        #expect(open(decryption, rtp(old, 400)) == "dropped")
        #expect(counters.authFailed.load(ordering: .relaxed) == 1)
    }

    @Test("An announced key waits for its first packet: the old key goes on until then, and after it for packets in flight")
    func announcedKey() throws {
        let counters = StreamCounters()
        let old = try SRTPSender(crypto: first), new = try SRTPSender(crypto: second)
        let decryption = StreamDecryption(try SRTPReceiver(crypto: first), counters: counters, totals: nil)
        #expect(open(decryption, rtp(old, 1)) == "rtp 1 172")
        decryption.offer(try SRTPReceiver(crypto: second))   // the re-INVITE, before the SRC switches
        #expect(open(decryption, rtp(old, 2)) == "rtp 2 172")
        let late = rtp(old, 3)
        #expect(open(decryption, rtp(new, 4)) == "rtp 4 172")   // the first packet under the new key
        #expect(open(decryption, late) == "rtp 3 172")
        #expect(open(decryption, rtp(new, 5)) == "rtp 5 172")
        let stranger = try SRTPSender(crypto: crypto("3 AES_CM_128_HMAC_SHA1_80 inline:RS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"))
        #expect(open(decryption, rtp(stranger, 6)) == "dropped")
        #expect(counters.authFailed.load(ordering: .relaxed) == 1)
    }

    @Test("SRTCP on the RTP port is authenticated and counted, a forged one is not")
    func multiplexedSRTCP() throws {
        let counters = StreamCounters(), totals = CaptureTotals()
        let sender = try SRTPSender(crypto: first)
        let decryption = StreamDecryption(try SRTPReceiver(crypto: first), counters: counters, totals: totals)
        let report: [UInt8] = [0x80, 201, 0, 1, 0, 0xC0, 0xFF, 0xEE]
        #expect(open(decryption, sender.protect(report, rtcp: true)) == "rtcp")
        var forged = sender.protect(report, rtcp: true)
        forged[forged.count - 1] ^= 1
        #expect(open(decryption, forged) == "dropped")
        #expect(counters.srtcpPackets.load(ordering: .relaxed) == 1)
        #expect(counters.authFailed.load(ordering: .relaxed) == 1 && totals.srtpAuthFailed.load(ordering: .relaxed) == 1)
    }

    @Test("Without a key every packet is counted as undecrypted, never handed on as audio")
    func keysUnavailable() throws {
        let counters = StreamCounters()
        let decryption = StreamDecryption(nil, counters: counters, totals: nil)
        #expect(open(decryption, rtp(try SRTPSender(crypto: first), 1)) == "dropped")
        #expect(counters.undecrypted.load(ordering: .relaxed) == 1)
    }

    @Test("A datagram larger than the scratch, or too short, is malformed")
    func sizes() throws {
        let counters = StreamCounters()
        let decryption = StreamDecryption(try SRTPReceiver(crypto: first), counters: counters, totals: nil)
        #expect(open(decryption, [UInt8](repeating: 0x80, count: PacketScratch.bytes + 1)) == "dropped")
        #expect(open(decryption, [0x80]) == "dropped")
        #expect(open(decryption, [0x80, 0, 0, 1]) == "dropped")
        #expect(counters.malformed.load(ordering: .relaxed) == 3)
    }
}

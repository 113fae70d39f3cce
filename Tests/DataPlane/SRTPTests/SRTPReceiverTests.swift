import Testing
import SIPCore
import SRTP
import TestSupport

/// SDES lines for every suite (RFC 4568's example key for AES-CM; 0, 1, 2 … for AEAD).
private let lines: [SRTPSuite: String] = [
    .aesCM128HmacSHA1_80: "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    .aesCM128HmacSHA1_32: "2 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    .aeadAES128GCM: "3 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==",
    .aeadAES256GCM: "4 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=",
]

/// The same suites with another key (one bit of the first byte differs).
private let otherKeys: [SRTPSuite: String] = [
    .aesCM128HmacSHA1_80: "1 AES_CM_128_HMAC_SHA1_80 inline:QS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    .aesCM128HmacSHA1_32: "2 AES_CM_128_HMAC_SHA1_32 inline:QS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    .aeadAES128GCM: "3 AEAD_AES_128_GCM inline:AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==",
    .aeadAES256GCM: "4 AEAD_AES_256_GCM inline:AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=",
]

private func crypto(_ line: String) -> SDPCrypto { try! SDPCrypto(parsing: line[...]) }

/// The SRC's side: libsrtp protecting with the same suite and key.
private final class Sender {
    let sender: SRTPSender
    init(_ crypto: SDPCrypto) { sender = try! SRTPSender(crypto: crypto) }

    /// An RTP packet: 12-byte header (PT 0), `payload`, protected.
    func rtp(sequence: UInt16, timestamp: UInt32, payload: [UInt8], ssrc: UInt32 = 0x5150_0001) -> [UInt8] {
        sender.protect(RTPPacketBuilder(sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc, payload: payload).build())
    }

    /// An RTCP receiver report with no blocks, protected.
    func rtcp(ssrc: UInt32 = 0x5150_0001) -> [UInt8] {
        sender.protect([0x80, 201, 0, 1] + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: ssrc >> $0) }, rtcp: true)
    }
}

private func unprotect(_ receiver: SRTPReceiver, _ packet: [UInt8], rtcp: Bool = false) -> (SRTPReceiver.Outcome, [UInt8]) {
    var bytes = packet
    let outcome = bytes.withUnsafeMutableBytes { rtcp ? receiver.unprotectRTCP($0) : receiver.unprotectRTP($0) }
    if case .plain(let length) = outcome { return (outcome, Array(bytes.prefix(length))) }
    return (outcome, [])
}

/// The SRC's sender and siprecd's receiver for one suite's offer.
private func peers(_ suite: SRTPSuite) throws -> (Sender, SRTPReceiver) {
    let offer = crypto(lines[suite]!)
    return (Sender(offer), try SRTPReceiver(crypto: offer))
}

private func payload(_ index: Int) -> [UInt8] { (0..<160).map { UInt8(truncatingIfNeeded: $0 * 31 + index * 7) } }

@Suite("SRTP receiver (libsrtp, SDES keys)")
struct SRTPReceiverTests {
    @Test("Every suite: 300 packets across a sequence wrap decrypt bit-exact; the wire never carries the payload",
          arguments: SRTPSuite.allCases)
    func roundTrip(suite: SRTPSuite) throws {
        let (sender, receiver) = try peers(suite)
        var exact = 0
        for index in 0..<300 {
            let sequence = UInt16(truncatingIfNeeded: 65_400 + index)   // wraps at 136: the rollover counter counts
            let wire = sender.rtp(sequence: sequence, timestamp: UInt32(index * 160), payload: payload(index))
            #expect(!wire.dropFirst(12).starts(with: payload(index).prefix(16)))
            let (outcome, plain) = unprotect(receiver, wire)
            #expect(outcome == .plain(length: 172))
            if plain.dropFirst(12).elementsEqual(payload(index)) && plain[2] == UInt8(sequence >> 8) { exact += 1 }
        }
        #expect(exact == 300)
    }

    @Test("Reordered within the window: decrypted; a replay and a packet far too old are refused",
          arguments: SRTPSuite.allCases)
    func replay(suite: SRTPSuite) throws {
        let (sender, receiver) = try peers(suite)
        let wire = (0..<1_200).map { sender.rtp(sequence: UInt16($0), timestamp: UInt32($0 * 160), payload: payload($0)) }
        // 0…99 then 150…199 then the late 100…149 (50 packets behind): all inside the 1,024-packet window.
        for index in Array(0..<100) + Array(150..<200) + Array(100..<150) {
            #expect(unprotect(receiver, wire[index]).0 == .plain(length: 172), "packet \(index)")
        }
        #expect(unprotect(receiver, wire[120]).0 == .replayed)
        for index in 200..<1_200 { _ = unprotect(receiver, wire[index]) }
        #expect(unprotect(receiver, wire[199]).0 == .replayed)        // 1,000 behind the newest: still tracked, seen
        #expect(unprotect(receiver, wire[50]).0 == .replayed)         // beyond the window: too old
    }

    @Test("A longer reorder window widens the replay window: a packet 1,500 behind still decrypts once")
    func widerWindow() throws {
        #expect(SRTPReceiver.replayWindow(reorderSamples8k: 1_600) == 1_024)        // 200 ms
        #expect(SRTPReceiver.replayWindow(reorderSamples8k: 40_000) == 2_001)       // 5 s in 2.5 ms packets
        #expect(SRTPReceiver.replayWindow(reorderSamples8k: .max) == 0x7FFF)
        let offer = crypto(lines[.aesCM128HmacSHA1_80]!)
        let sender = Sender(offer), receiver = try SRTPReceiver(crypto: offer, window: 2_001)
        let wire = (0..<1_600).map { sender.rtp(sequence: UInt16($0), timestamp: UInt32($0 * 160), payload: payload($0)) }
        for index in 1..<1_600 { _ = unprotect(receiver, wire[index]) }
        #expect(unprotect(receiver, wire[0]).0 == .plain(length: 172))
        #expect(unprotect(receiver, wire[0]).0 == .replayed)
    }

    @Test("A flipped bit anywhere, a wrong key or a truncated packet never decrypts", arguments: SRTPSuite.allCases)
    func forged(suite: SRTPSuite) throws {
        let (sender, receiver) = try peers(suite)
        let wire = sender.rtp(sequence: 7, timestamp: 1_120, payload: payload(7))
        for position in [1, 3, 12, 100, wire.count - 1] {
            var forged = wire
            forged[position] ^= 0x04
            #expect(unprotect(receiver, forged).0 == .authFailed, "bit flipped at \(position)")
        }
        #expect(unprotect(receiver, Array(wire.prefix(11))).0 == .malformed(status: -1))
        #expect(unprotect(receiver, Array(wire.prefix(14))).0 != .plain(length: 2))
        let stranger = try SRTPReceiver(crypto: crypto(otherKeys[suite]!))
        #expect(unprotect(stranger, wire).0 == .authFailed)
        // The genuine packet still decrypts after all that.
        #expect(unprotect(receiver, wire).0 == .plain(length: 172))
    }

    @Test("SRTCP is authenticated and decrypted; a forged one is refused", arguments: SRTPSuite.allCases)
    func rtcp(suite: SRTPSuite) throws {
        let (sender, receiver) = try peers(suite)
        let wire = sender.rtcp()
        var forged = wire
        forged[5] ^= 0x01
        #expect(unprotect(receiver, forged, rtcp: true).0 == .authFailed)
        let (outcome, plain) = unprotect(receiver, wire, rtcp: true)
        #expect(outcome == .plain(length: 8))
        #expect(plain == [0x80, 201, 0, 1, 0x51, 0x50, 0x00, 0x01])
        #expect(unprotect(receiver, wire, rtcp: true).0 == .replayed)
    }

    @Test("UNENCRYPTED_SRTP: the payload travels in the clear but is still authenticated")
    func unencrypted() throws {
        let offer = crypto(lines[.aesCM128HmacSHA1_80]! + " UNENCRYPTED_SRTP")
        let sender = Sender(offer)
        let receiver = try SRTPReceiver(crypto: offer)
        let wire = sender.rtp(sequence: 1, timestamp: 160, payload: payload(1))
        #expect(wire.dropFirst(12).prefix(160).elementsEqual(payload(1)))
        var forged = wire
        forged[40] ^= 0x10
        #expect(unprotect(receiver, forged).0 == .authFailed)
        #expect(unprotect(receiver, wire).1.dropFirst(12).elementsEqual(payload(1)))
    }

    @Test("Offers siprecd cannot honour are refused with the reason, not recorded as noise", arguments: [
        ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR KDR=1", "KDR"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4", "MKI"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR FEC_ORDER=FEC_SRTP", "FEC"),
        ("3 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw== UNAUTHENTICATED_SRTP", "UNAUTHENTICATED"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNAUTHENTICATED_SRTP", "UNAUTHENTICATED"),
        ("3 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw== UNENCRYPTED_SRTP", "UNENCRYPTED"),
        ("4 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis= UNENCRYPTED_SRTCP", "UNENCRYPTED"),
    ])
    func refused(line: String, reason: String) {
        // The answerer asks the same question before it picks a line (so the 488 gives this reason).
        #expect(SRTPReceiver.unsupported(crypto(line))?.contains(reason) == true)
        do {
            _ = try SRTPReceiver(crypto: crypto(line))
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.description.contains(reason))
            #expect(!error.description.contains("PS1uQCVe"))
        }
    }
}

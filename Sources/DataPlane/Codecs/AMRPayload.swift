/// The RTP payload of AMR and AMR-WB as RFC 4867 §4.3–4.4 lays it out (the same for both but for the frame
/// types' sizes), in either of its two formats:
///
/// - bandwidth-efficient: a 4-bit CMR, then one 6-bit table-of-contents entry per frame (F: another entry
///   follows, FT: the frame type, Q: the frame is good), then the frames' bits back to back, then zero
///   padding to a whole octet;
/// - octet-aligned: a CMR octet, one ToC octet per frame, then each frame padded to whole octets.
///
/// Frames are handed on in the storage format of RFC 4867 §5.3 (one header octet `FT << 3 | Q << 2`, the
/// frame's bits padded to octets), which opencore's decoder reads. Nothing here allocates.
enum AMRPayload {
    /// 20 ms on the 8 kHz timeline (AMR-WB frames hold 320 samples at 16 kHz).
    static let samplesPerFrame = 160
    /// The most frames one payload may carry (1.2 s; RFC 4867 senders put at most a few hundred ms in one).
    static let maxFrames = 60
    /// The largest frame in the storage format: the header octet and 477 bits of AMR-WB's 23.85 kbit/s.
    static let maxStorageFrame = 1 + 60
    /// The storage-format header of a NO_DATA frame (frame type 15, Q = 1): nothing received for 20 ms.
    static let noDataHeader: UInt8 = 15 << 3 | 1 << 2

    /// The bits of a frame of type `ft` (3GPP TS 26.101 Table 1a): the eight speech modes, SID (8) and
    /// NO_DATA (15). Types 9–14 (legacy SIDs and reserved) are refused: RFC 4867 §4.3.2 says to discard the
    /// packet.
    /// For AMR-WB (`wideband`, 3GPP TS 26.201): nine speech modes (0–8), SID (9), SPEECH_LOST (14) and NO_DATA
    /// (15); types 10–13 are refused.
    @inline(__always)
    static func frameBits(_ ft: Int, wideband: Bool = false) -> Int? {
        if wideband {
            switch ft {
            case 0: return 132
            case 1: return 177
            case 2: return 253
            case 3: return 285
            case 4: return 317
            case 5: return 365
            case 6: return 397
            case 7: return 461
            case 8: return 477
            case 9: return 40
            case 14, 15: return 0
            default: return nil
            }
        }
        switch ft {
        case 0: return 95
        case 1: return 103
        case 2: return 118
        case 3: return 134
        case 4: return 148
        case 5: return 159
        case 6: return 204
        case 7: return 244
        case 8: return 39
        case 15: return 0
        default: return nil
        }
    }

    /// The frames of `payload`, or nil when it is not a well-formed payload of the format: an entry of an
    /// unknown frame type, more than `maxFrames` entries, or a length other than the one its ToC adds up to.
    static func frameCount(_ payload: UnsafeRawBufferPointer, octetAligned: Bool, wideband: Bool = false) -> Int? {
        var reader = tocReader(payload, octetAligned: octetAligned)
        var frames = 0, bits = 0, more = true
        while more {
            guard frames < maxFrames, let entry = readEntry(&reader, octetAligned: octetAligned, wideband: wideband) else { return nil }
            frames += 1
            bits += octetAligned ? entry.octets * 8 : entry.bits
            more = entry.follows
        }
        return (reader.position + bits + 7) / 8 == payload.count ? frames : nil
    }

    /// Calls `body` with each frame of a payload `frameCount` accepted, in the storage format, in order.
    /// `scratch` holds at least `maxStorageFrame` bytes.
    static func forEachFrame(_ payload: UnsafeRawBufferPointer, octetAligned: Bool, wideband: Bool = false, scratch: UnsafeMutablePointer<UInt8>,
                             _ body: (_ frame: UnsafePointer<UInt8>, _ good: Bool) -> Void) {
        // The frames start after the last ToC entry: one reader walks the ToC, the other the frames.
        var data = tocReader(payload, octetAligned: octetAligned)
        var frames = 0
        while frames < maxFrames, let entry = readEntry(&data, octetAligned: octetAligned, wideband: wideband) {
            frames += 1
            if !entry.follows { break }
        }
        var toc = tocReader(payload, octetAligned: octetAligned)
        for _ in 0..<frames {
            guard let entry = readEntry(&toc, octetAligned: octetAligned, wideband: wideband) else { return }
            scratch[0] = UInt8(entry.frameType << 3) | (entry.good ? 0x04 : 0)
            if octetAligned {
                let start = data.position / 8
                for i in 0..<entry.octets { scratch[1 + i] = payload[start + i] }
                data.position += entry.octets * 8
            } else {
                copyBits(payload, from: data.position, count: entry.bits, into: scratch + 1)
                data.position += entry.bits
            }
            body(UnsafePointer(scratch), entry.good)
        }
    }

    /// `count` bits of `payload` from bit `start` (most significant first) into whole octets at `out`, the
    /// last one's unused low bits zero: an octet at a time, each from the two payload octets it straddles
    /// (past the payload's end reads zeros, as the frame's padding).
    @inline(__always)
    static func copyBits(_ payload: UnsafeRawBufferPointer, from start: Int, count: Int, into out: UnsafeMutablePointer<UInt8>) {
        let octets = (count + 7) / 8, first = start >> 3, shift = UInt8(start & 7), size = payload.count
        for i in 0..<octets {
            let high = first + i < size ? payload[first + i] : 0
            if shift == 0 {
                out[i] = high
            } else {
                let low = first + i + 1 < size ? payload[first + i + 1] : 0
                out[i] = high << shift | low >> (8 - shift)
            }
        }
        if count & 7 != 0 { out[octets - 1] &= 0xFF << UInt8(8 - (count & 7)) }
    }

    private struct TOCEntry {
        var follows: Bool
        var frameType: Int
        var good: Bool
        var bits: Int
        var octets: Int { (bits + 7) / 8 }
    }

    /// A reader at the first ToC entry, past the CMR.
    private static func tocReader(_ payload: UnsafeRawBufferPointer, octetAligned: Bool) -> BitReader {
        var reader = BitReader(payload)
        reader.position = octetAligned ? 8 : 4
        return reader
    }

    @inline(__always)
    private static func readEntry(_ reader: inout BitReader, octetAligned: Bool, wideband: Bool) -> TOCEntry? {
        guard reader.remaining >= (octetAligned ? 8 : 6) else { return nil }
        let follows = reader.read(1) == 1
        let frameType = Int(reader.read(4))
        let good = reader.read(1) == 1
        if octetAligned { reader.position += 2 }
        guard let bits = frameBits(frameType, wideband: wideband) else { return nil }
        return TOCEntry(follows: follows, frameType: frameType, good: good, bits: bits)
    }
}

/// Reads bits most significant first; past the end it reads zeros.
struct BitReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count * 8 - position }

    @inline(__always)
    mutating func read(_ count: Int) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            let index = position >> 3
            let bit: UInt32 = index < bytes.count ? UInt32(bytes[index] >> (7 - UInt8(position & 7))) & 1 : 0
            value = value << 1 | bit
            position += 1
        }
        return value
    }
}

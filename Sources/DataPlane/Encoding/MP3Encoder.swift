import CLame

/// Streaming stereo MP3 through libmp3lame: caller left, callee right.
///
/// The encoder owns only its `lame_t`; the bytes LAME produces go through an ``MP3OutputBuffer`` the caller
/// passes in, so one buffer serves every recording an encoder thread drives (LAME's own state, about
/// 100 KB, is what a live MP3 costs per call). Input is handed to LAME one MPEG frame at a time, which keeps
/// LAME's float copy of the input and the output buffer at one frame's size whatever the chunk. Encoding
/// a chunk allocates nothing after the first. A Xing/LAME info frame is reserved at the start of the file
/// and written at the end, so decoders know the exact length (gapless: encoder delay and padding are trimmed).
public final class MP3Encoder {
    private let lame: OpaquePointer
    private let sink: FileSink

    /// - Parameters: bitrate in kbit/s (CBR), quality 0 (best) … 9 (fastest).
    public init(path: String, sampleRate: Int, bitrate: Int, quality: Int) throws(EncodingError) {
        guard let handle = lame_init() else { throw EncodingError(code: .lame, message: "lame_init failed") }
        lame_set_in_samplerate(handle, Int32(sampleRate))
        lame_set_out_samplerate(handle, Int32(sampleRate))
        lame_set_num_channels(handle, 2)
        lame_set_mode(handle, STEREO)
        lame_set_brate(handle, Int32(bitrate))
        lame_set_quality(handle, Int32(quality))
        lame_set_bWriteVbrTag(handle, 1)
        guard lame_init_params(handle) >= 0 else {
            lame_close(handle)
            throw EncodingError(code: .lame, message: "LAME rejected \(sampleRate) Hz at \(bitrate) kbit/s")
        }
        do {
            sink = try FileSink(creating: path)
        } catch {
            lame_close(handle)
            throw error
        }
        lame = handle
    }

    deinit { lame_close(lame) }

    /// Encodes `count` frames from separate channel buffers and appends the MP3 bytes.
    public func encode(left: UnsafePointer<Int16>, right: UnsafePointer<Int16>, frames count: Int,
                       using output: MP3OutputBuffer) throws(EncodingError) {
        var offset = 0
        while offset < count {
            let piece = min(MP3OutputBuffer.framesPerCall, count - offset)
            let n = lame_encode_buffer(lame, left + offset, right + offset, Int32(piece), output.bytes, Int32(output.capacity))
            try emit(n, from: output)
            offset += piece
        }
    }

    /// Flushes the last frames, writes the info frame at the start and closes the file.
    public func finish(using output: MP3OutputBuffer) throws(EncodingError) {
        let n = lame_encode_flush(lame, output.bytes, Int32(output.capacity))
        try emit(n, from: output)
        let tagBytes = lame_get_lametag_frame(lame, output.bytes, output.capacity)
        if tagBytes > 0 && tagBytes <= output.capacity {
            try sink.overwrite(UnsafeRawBufferPointer(start: output.bytes, count: tagBytes), at: 0)
        }
        try sink.close()
    }

    private func emit(_ n: Int32, from output: MP3OutputBuffer) throws(EncodingError) {
        guard n >= 0 else { throw EncodingError(code: .lame, message: "LAME failed with code \(n)") }
        if n > 0 { try sink.append(UnsafeRawBufferPointer(start: output.bytes, count: Int(n))) }
    }
}

/// Where LAME writes the MP3 bytes of one call before they are appended to the file. One per thread
/// that encodes; it may be shared by any number of ``MP3Encoder``s used from that thread.
public final class MP3OutputBuffer {
    /// Input frames handed to LAME per call: one MPEG-2.5 frame at 8 kHz (MPEG-1 frames are 1,152).
    public static let framesPerCall = 576
    /// LAME's documented worst case for `framesPerCall` samples: 1.25 × samples + 7,200 (also enough for
    /// the flush and the info frame).
    public let capacity = framesPerCall * 5 / 4 + 7200
    let bytes: UnsafeMutablePointer<UInt8>

    public init() { bytes = .allocate(capacity: capacity) }

    deinit { bytes.deallocate() }
}

import CLame

/// Streaming stereo MP3 through libmp3lame: caller left, callee right.
///
/// The encoder owns its `lame_t` and its output buffer (sized once for `maximumFrames`), so encoding a
/// chunk allocates nothing. A Xing/LAME info frame is reserved at the start of the file and written at
/// the end, so decoders know the exact length (gapless: encoder delay and padding are trimmed).
public final class MP3Encoder {
    private let lame: OpaquePointer
    private let sink: FileSink
    private let output: UnsafeMutablePointer<UInt8>
    private let outputCapacity: Int
    public let maximumFrames: Int

    /// - Parameters: bitrate in kbit/s (CBR), quality 0 (best) … 9 (fastest).
    public init(path: String, sampleRate: Int, bitrate: Int, quality: Int, maximumFrames: Int) throws(EncodingError) {
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
        self.maximumFrames = maximumFrames
        outputCapacity = maximumFrames * 5 / 4 + 7200
        output = .allocate(capacity: outputCapacity)
    }

    deinit {
        lame_close(lame)
        output.deallocate()
    }

    /// Encodes `count` ≤ `maximumFrames` frames from separate channel buffers and appends the MP3 bytes.
    public func encode(left: UnsafePointer<Int16>, right: UnsafePointer<Int16>, frames count: Int) throws(EncodingError) {
        precondition(count <= maximumFrames, "chunk larger than the encoder was sized for")
        let n = lame_encode_buffer(lame, left, right, Int32(count), output, Int32(outputCapacity))
        try emit(n)
    }

    /// Flushes the last frames, writes the info frame at the start and closes the file.
    public func finish() throws(EncodingError) {
        let n = lame_encode_flush(lame, output, Int32(outputCapacity))
        try emit(n)
        let tagBytes = lame_get_lametag_frame(lame, output, outputCapacity)
        if tagBytes > 0 && tagBytes <= outputCapacity {
            try sink.overwrite(UnsafeRawBufferPointer(start: output, count: tagBytes), at: 0)
        }
        try sink.close()
    }

    private func emit(_ n: Int32) throws(EncodingError) {
        guard n >= 0 else { throw EncodingError(code: .lame, message: "LAME failed with code \(n)") }
        if n > 0 { try sink.append(UnsafeRawBufferPointer(start: output, count: Int(n))) }
    }
}

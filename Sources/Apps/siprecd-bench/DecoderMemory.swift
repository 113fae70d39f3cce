import CMallocCounter
import Codecs
import MediaCore

/// The heap one stream's decoder state takes (its codec state, resampler and buffers: what a stream opening
/// with `codec` allocates), from glibc's allocator statistics around making `count` of them. Pages that
/// are allocated but never touched count here too, so this is an upper bound on what is resident.
func decoderStateBytes(_ codec: AudioCodec, sampleRate: Int, count: Int = 200) -> Int {
    let payloads = StreamPayloads(audio: [(codec.staticPayloadType ?? 96, codec)])
    func heapBytes() -> Int { Int(siprecd_heap_in_use()) }
    let before = heapBytes()
    let decoders = (0..<count).map { _ in StreamDecoders(for: payloads, factory: CodecLibraries(), sampleRate: sampleRate) }
    let after = heapBytes()
    precondition(decoders.allSatisfy { $0[codec] != nil } || (codec.isG711 && sampleRate == 8_000))
    return (after - before) / count
}

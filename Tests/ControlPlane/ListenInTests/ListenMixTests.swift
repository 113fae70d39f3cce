import Testing
import ListenIn

@Suite("What monitor and play hear")
struct ListenMixTests {
    func fold(_ input: [Int16], sides: [ListenMix.Side], mono: Bool) -> [Int16] {
        let mix = ListenMix(sides: sides, mono: mono)
        let frames = input.count / sides.count
        var output = [Int16](repeating: 0, count: frames * mix.outputChannels)
        input.withUnsafeBufferPointer { i in output.withUnsafeMutableBufferPointer { o in
            mix.fold(i.baseAddress!, frames: frames, into: o.baseAddress!)
        } }
        return output
    }

    @Test("Stereo puts caller channels left and callee channels right, like the MP3")
    func stereo() {
        // Master channel 0 callee, 1 caller: the sides come from the streams, not the channel order.
        #expect(fold([1, 2, 3, 4], sides: [.right, .left], mono: false) == [2, 1, 4, 3])
    }

    @Test("Several streams on one side are summed and saturate instead of wrapping")
    func saturates() {
        #expect(fold([30_000, 10_000, 5, -30_000, -10_000, 7], sides: [.left, .left, .right], mono: false) == [32_767, 5, -32_768, 7])
    }

    @Test("Mono folds everything into one channel, saturating")
    func mono() {
        #expect(fold([100, -40, 32_000, 32_000, -32_000, -32_000], sides: [.left, .right], mono: true) == [60, 32_767, -32_768])
    }
}

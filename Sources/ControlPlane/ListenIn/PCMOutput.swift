import CAlsa

/// An ALSA playback device taking interleaved signed 16-bit frames (`siprecd monitor` and `play`).
/// Blocking writes pace the caller at the device's rate; an underrun is recovered and counted.
public final class PCMOutput {
    public let device: String
    public let channels: Int
    public let sampleRate: Int
    /// Underruns recovered so far (the device ran dry: the call's audio came later than the buffer lasted).
    public private(set) var underruns = 0
    private var pcm: OpaquePointer?

    /// Opens `device` (an ALSA PCM name: "default", "hw:0,0", "plughw:1", a name from asoundrc) with about
    /// `latencyMicros` of buffer; ALSA converts the rate when the device needs it.
    public init(device: String, channels: Int, sampleRate: Int, latencyMicros: Int = 250_000) throws(AudioError) {
        self.device = device
        self.channels = channels
        self.sampleRate = sampleRate
        var handle: OpaquePointer?
        var status = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard status >= 0, let handle else { throw AudioError("cannot open ALSA device '\(device)': \(AudioError.text(status))") }
        status = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED,
                                    UInt32(channels), UInt32(sampleRate), 1, UInt32(latencyMicros))
        guard status >= 0 else {
            snd_pcm_close(handle)
            throw AudioError("ALSA device '\(device)' refuses \(channels) channel(s) of 16-bit PCM at \(sampleRate) Hz: \(AudioError.text(status))")
        }
        pcm = handle
    }

    deinit { if let pcm { snd_pcm_close(pcm) } }

    /// Checks that a device opens for playback, without playing anything (`siprecd doctor`).
    public static func probe(device: String) -> Result<Void, AudioError> {
        siprecd_alsa_quiet()
        var handle: OpaquePointer?
        let status = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, Int32(SND_PCM_NONBLOCK))
        guard status >= 0, let handle else { return .failure(AudioError("cannot open ALSA device '\(device)': \(AudioError.text(status))")) }
        snd_pcm_close(handle)
        return .success(())
    }

    /// Plays `frames` interleaved frames; returns when the device has taken them all.
    public func write(_ samples: UnsafePointer<Int16>, frames: Int) throws(AudioError) {
        guard let pcm else { throw AudioError("the ALSA device '\(device)' is closed") }
        var done = 0
        while done < frames {
            let n = snd_pcm_writei(pcm, samples + done * channels, snd_pcm_uframes_t(frames - done))
            if n >= 0 {
                done += Int(n)
                continue
            }
            if Int32(n) == -EPIPE { underruns += 1 }
            let recovered = snd_pcm_recover(pcm, Int32(n), 1)
            guard recovered >= 0 else { throw AudioError("writing to ALSA device '\(device)': \(AudioError.text(recovered))") }
        }
    }

    /// Frames written but not yet heard (the device's current delay), or 0 when ALSA cannot tell.
    public var delayFrames: Int {
        guard let pcm else { return 0 }
        var delay: snd_pcm_sframes_t = 0
        return snd_pcm_delay(pcm, &delay) >= 0 ? max(0, Int(delay)) : 0
    }

    /// Lets what was written play out, then closes the device.
    public func finish() {
        guard let pcm else { return }
        snd_pcm_drain(pcm)
        snd_pcm_close(pcm)
        self.pcm = nil
    }
}

/// An ALSA failure, with ALSA's own text.
public struct AudioError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }

    static func text(_ status: Int32) -> String { String(cString: snd_strerror(status)) }
}

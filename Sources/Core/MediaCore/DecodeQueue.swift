import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The decoding of one stream, handed from the capture thread to the encoder lane that reads the stream's
/// ring. The capture thread places each packet of a decoded codec on the timeline and claims its slots as
/// before, then queues its payload here instead of running the codec library; the encoder lane runs the
/// queue, in order, just before it reads what was released. So the codecs' cost (10–40 µs a packet) is
/// spread over the encoder lanes (one per core) instead of bounding every call on the one capture thread,
/// and a decoder's state is only ever touched by one thread.
///
/// What the capture thread decided — where a payload goes, which loss to conceal before it, which span of
/// a pause to silence — travels with the job, so the ring ends up exactly as if the capture thread had
/// decoded it: jobs run in the order they were queued, silence after the audio it covers.
///
/// Preallocated when the stream opens (no allocation per packet): job slots for the stream buffer's
/// length of 10 ms packets, and a byte ring for its payloads at the codecs' highest bit rate. Memory comes
/// from mmap: pages are resident only once used. A full queue is a counted drop (`overflows`, like a
/// full ring), never a wait. One producer (the capture thread), one consumer (the encoder lane).
public final class DecodeQueue: @unchecked Sendable {
    // @unchecked: producer and consumer state are disjoint; jobs and payload bytes are published by the
    // `written` atomics (release) and handed back by the `read` atomics.

    /// 24 bytes: the job ring of an 8 s stream buffer is 24 KB.
    struct Job {
        /// Where the payload's audio goes, or where a silenced span starts.
        var position: Int64
        /// Decode: how far before `position` the loss concealed before the payload starts (0: none).
        /// Silence: the span's length.
        var extent: Int32
        /// The payload's place in the byte ring: a running offset, wrapping (the ring is a power of two).
        var offset: UInt32
        /// The payload's length in timeline samples.
        var samples: UInt32
        var length: UInt16
        /// The decoder (an ``AudioCodec`` raw value), or -1 for silence.
        var codec: Int8
    }

    private let jobs: UnsafeMutablePointer<Job>
    private let jobMask: Int64
    private let bytes: UnsafeMutablePointer<UInt8>
    private let byteCapacity: UInt32
    private let jobsBytes: Int, mappedBytes: Int
    /// Decoders by codec, only ever set from nil (a renegotiation adds, never replaces), before a job uses one.
    private let decoders: UnsafeMutablePointer<AudioFrameDecoder?>

    private let jobsWritten = Atomic<Int64>(0)
    private let jobsRead = Atomic<Int64>(0)
    private let bytesRead = Atomic<UInt32>(0)

    // Producer-owned.
    private var jobTail: Int64 = 0
    private var byteTail: UInt32 = 0
    /// Jobs kept for silence: a pause's span can always be queued behind the audio it covers.
    static let silenceReserve: Int64 = 16

    // Consumer-owned: where the last payload's audio ended (a payload that does not start there follows a gap).
    private var decodedEnd: Int64 = -1

    /// `seconds`: how far the encoder lane may fall behind (the stream buffer); `bytesPerSecond`: the
    /// highest payload rate of the stream's codecs.
    /// Throws when the system will not map the queue.
    public init(seconds: Int, bytesPerSecond: Int) throws(MemoryExhausted) {
        let seconds = max(1, seconds)
        var jobCount = 64
        while jobCount < seconds * 100 { jobCount <<= 1 }
        var byteCount = 4_096
        while byteCount < seconds * bytesPerSecond * 5 / 4 { byteCount <<= 1 }
        jobMask = Int64(jobCount - 1)
        byteCapacity = UInt32(byteCount)
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        jobsBytes = (jobCount * MemoryLayout<Job>.stride + page - 1) / page * page
        mappedBytes = jobsBytes + byteCount
        let mapped = mmap(nil, mappedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw MemoryExhausted(purpose: "decode queue", bytes: mappedBytes, errno: Glibc.errno)
        }
        jobs = mapped.bindMemory(to: Job.self, capacity: jobCount)
        bytes = (mapped + jobsBytes).bindMemory(to: UInt8.self, capacity: byteCount)
        decoders = .allocate(capacity: AudioCodec.allCases.count)
        decoders.initialize(repeating: nil, count: AudioCodec.allCases.count)
    }

    deinit {
        munmap(jobs, mappedBytes)
        decoders.deinitialize(count: AudioCodec.allCases.count)
        decoders.deallocate()
    }

    // MARK: Producer (capture thread)

    /// Makes the decoders of `set` available to jobs (those the queue has keep their state).
    func install(_ set: StreamDecoders) {
        for codec in AudioCodec.allCases where decoders[Int(codec.rawValue)] == nil {
            if let decoder = set[codec] { decoders[Int(codec.rawValue)] = decoder }
        }
    }

    /// Queues the decoding of `payload` into `samples` slots at `position` (claimed already), after
    /// concealing `[concealFrom, position)` when `concealFrom` ≥ 0. False when the queue is full.
    @inline(__always)
    func decode(_ payload: UnsafeRawBufferPointer, at position: Int64, samples: Int, codec: AudioCodec, concealFrom: Int64) -> Bool {
        let length = UInt32(truncatingIfNeeded: payload.count)
        guard payload.count > 0, payload.count <= Int(UInt16.max), length <= byteCapacity / 4, samples <= Int(UInt32.max),
              jobTail - jobsRead.load(ordering: .acquiring) < jobMask + 1 - DecodeQueue.silenceReserve else { return false }
        // Payloads are contiguous: one that would wrap starts the next lap instead.
        var offset = byteTail
        let room = byteCapacity - (offset & (byteCapacity - 1))
        if room < length { offset &+= room }
        guard (offset &+ length) &- bytesRead.load(ordering: .acquiring) <= byteCapacity else { return false }
        (bytes + Int(offset & (byteCapacity - 1))).update(from: payload.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                          count: payload.count)
        byteTail = offset &+ length
        let extent = concealFrom >= 0 && concealFrom < position ? Int32(clamping: position - concealFrom) : 0
        push(Job(position: position, extent: extent, offset: offset, samples: UInt32(samples), length: UInt16(length),
                 codec: Int8(codec.rawValue)))
        return true
    }

    /// Queues the silencing of `[from, to)` (released already) behind the audio queued before it.
    /// False when even the silence reserve is used up: release no further than `from` for now.
    func silence(from: Int64, to: Int64) -> Bool {
        guard jobTail - jobsRead.load(ordering: .acquiring) <= jobMask else { return false }
        push(Job(position: from, extent: Int32(clamping: to - from), offset: byteTail, samples: 0, length: 0, codec: -1))
        return true
    }

    @inline(__always)
    private func push(_ job: Job) {
        jobs[Int(jobTail & jobMask)] = job
        jobTail += 1
        jobsWritten.store(jobTail, ordering: .releasing)
    }

    /// Jobs the queue holds.
    public var capacity: Int { Int(jobMask + 1) }

    /// Jobs queued and not yet run (for tests and diagnostics).
    public var pending: Int64 { jobsWritten.load(ordering: .acquiring) - jobsRead.load(ordering: .acquiring) }

    // MARK: Consumer (the encoder lane)

    /// Runs every job queued so far into `ring`. Call after reading how far the ring is released: every
    /// job for audio before that was queued before the release, so it runs now.
    func run(into ring: StreamRing, counters: StreamCounters) {
        let written = jobsWritten.load(ordering: .acquiring)
        var head = jobsRead.load(ordering: .relaxed)
        guard head < written else { return }
        var consumedBytes = bytesRead.load(ordering: .relaxed)
        while head < written {
            let job = jobs[Int(head & jobMask)]
            if job.codec < 0 {
                ring.zero(from: job.position, to: job.position + Int64(job.extent))
            } else if let decoder = decoders[Int(job.codec)] {
                let payload = UnsafeRawBufferPointer(start: bytes + Int(job.offset & (byteCapacity - 1)), count: Int(job.length))
                if job.extent > 0 {
                    conceal(from: job.position - Int64(job.extent), to: job.position, before: payload, decoder: decoder,
                            ring: ring, counters: counters)
                }
                if job.position != decodedEnd { decoder.discontinuity() }
                ring.store(position: job.position, samples: decoder.decode(payload))
                decodedEnd = job.position + Int64(job.samples)
            }
            consumedBytes = job.offset &+ UInt32(job.length)
            head += 1
        }
        bytesRead.store(consumedBytes, ordering: .releasing)
        jobsRead.store(head, ordering: .releasing)
    }

    /// Fills `[from, position)` with the decoder's concealment of packets that never arrived.
    private func conceal(from: Int64, to position: Int64, before next: UnsafeRawBufferPointer, decoder: AudioFrameDecoder,
                         ring: StreamRing, counters: StreamCounters) {
        var at = from
        while at < position {
            guard let audio = decoder.conceal(Int(position - at), before: next), audio.count > 0 else { break }
            let count = min(audio.count, Int(position - at))
            ring.store(position: at, samples: UnsafeBufferPointer(rebasing: audio[0..<count]))
            at += Int64(count)
        }
        if at > from {
            counters.bump(counters.concealedSamples, by: at - from)
            decodedEnd = at
        }
    }
}

import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The preallocated PCM ring of one RTP stream, indexed by position on the recording's timeline.
///
/// One producer (the capture thread) decodes each G.711 packet straight into its slots and claims the slots
/// of other codecs' packets, which the consumer (the encoder thread) decodes into them (``DecodeQueue``)
/// before it reads released samples in order. The two work on disjoint regions:
/// the producer writes in `[released, consumed + capacity)`, the consumer reads in `[consumed, released)`.
/// Every slot reads as silence until a packet writes it: mmap gives zero pages, and a slot is zero again
/// before its next lap (its page returned to the kernel, or cleared by the producer).
/// A full ring is a counted drop: it never grows.
///
/// Memory: the ring is sized for the worst encoder lag (`[media] streamBuffer`, 8 s by default), but only
/// the part between the consumer and the producer needs to be resident. The consumer publishes its
/// progress a memory page at a time and gives each page it has finished back to the kernel
/// (MADV_DONTNEED) *before* publishing it, so the producer can never be writing there; the producer's
/// next lap faults in a zero page. A stream then holds ~0.5 s of samples (a few pages) instead of 128 KB.
public final class StreamRing: @unchecked Sendable {
    // @unchecked: the buffers are shared by exactly one producer and one consumer whose regions are
    // kept disjoint by the released/consumed atomics (acquire/release ordering).

    /// Slots in the ring (a power of two).
    public let capacity: Int
    private let mask: Int
    private let samples: UnsafeMutablePointer<Int16>
    /// One bit per slot: set when a packet's first sample landed there (duplicate detection).
    private let presence: UnsafeMutablePointer<UInt64>

    /// Everything before this position may be read by the consumer; written by the producer.
    private let releasedIndex = Atomic<Int64>(0)
    /// Everything before this position has been read and its pages returned; written by the consumer,
    /// a page at a time (see `publish`).
    private let consumedIndex = Atomic<Int64>(0)
    /// Samples per memory page when pages are returned (ring base page-aligned), else 1.
    private let granule: Int64
    /// Mapped size in bytes (the ring comes from mmap), and the memory page size.
    private let mappedBytes: Int
    private let pageBytes: Int

    // Consumer-owned.
    private var readPosition: Int64 = 0
    private var publishedPosition: Int64 = 0

    // Producer-owned.
    private var cleared: Int64 = 0
    /// Slots of positions in `[origin + capacity, zeroedFrom)` must be zeroed by the producer before reuse;
    /// the rest are zero already: the first lap is fresh mmap pages, and a lap after it reuses pages the
    /// consumer returned (``publish()``), all but the origin's partial page. Without page returns
    /// (granule 1), every slot after the first lap.
    private let reuseFrom: Int64
    private let zeroedFrom: Int64
    /// End of the furthest sample written so far (producer-owned).
    public private(set) var highestEnd: Int64 = 0

    /// Creates a ring of at least `minimumCapacity` samples, starting at timeline position `origin`.
    /// Throws when the system will not map it (the caller refuses the call; nothing else is affected).
    public init(minimumCapacity: Int, origin: Int64 = 0) throws(MemoryExhausted) {
        var cap = 1024
        while cap < minimumCapacity && cap < Int.max >> 2 { cap <<= 1 }
        capacity = cap
        mask = cap - 1
        // mmap: zero pages, faulted in by the thread that first writes each page (256 ms of one
        // stream with 4 KB pages), instead of 128 KB zeroed on the control loop for every call set up
        // (that showed as INVITE→200 OK latency at 200 calls/s); page-aligned, so pages can be returned.
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        pageBytes = page
        mappedBytes = (cap * MemoryLayout<Int16>.stride + page - 1) / page * page
        let mapped = mmap(nil, mappedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw MemoryExhausted(purpose: "stream ring", bytes: mappedBytes, errno: Glibc.errno)
        }
        guard let bits = calloc(cap / 64, MemoryLayout<UInt64>.stride) else {
            munmap(mapped, mappedBytes)
            throw MemoryExhausted(purpose: "stream ring's presence map", bytes: cap / 8, errno: ENOMEM)
        }
        samples = mapped.bindMemory(to: Int16.self, capacity: cap)
        let pageSamples = page / MemoryLayout<Int16>.stride
        // Only when a page is a small part of the ring: publishing a page at a time costs that much capacity.
        granule = pageSamples * 8 <= cap ? Int64(pageSamples) : 1
        presence = bits.bindMemory(to: UInt64.self, capacity: cap / 64)
        releasedIndex.store(origin, ordering: .relaxed)
        consumedIndex.store(origin, ordering: .relaxed)
        cleared = origin
        reuseFrom = origin + Int64(cap)
        // The first page publish() returns: the origin's, if the origin starts it, else the next one.
        let firstReturned = StreamRing.pageStart(atOrBefore: origin + granule - 1, granule: granule)
        zeroedFrom = granule > 1 ? firstReturned + Int64(cap) : Int64.max
        highestEnd = origin
        readPosition = origin
        publishedPosition = origin
    }

    deinit {
        munmap(samples, mappedBytes)
        free(presence)
    }

    /// What happened to a packet offered to the ring.
    public enum WriteOutcome: Sendable, Equatable { case written, duplicate, late, overflow }

    // MARK: Producer

    /// The position up to which the consumer may read.
    public var released: Int64 { releasedIndex.load(ordering: .relaxed) }

    /// Decodes `payload` through `table` into the slots at `position`.
    @inline(__always)
    public func write(position: Int64, payload: UnsafeRawBufferPointer, table: UnsafePointer<Int16>) -> WriteOutcome {
        let count = Int64(payload.count)
        guard position >= releasedIndex.load(ordering: .relaxed) else { return .late }
        guard position + count <= consumedIndex.load(ordering: .acquiring) + Int64(capacity) else { return .overflow }
        clear(upTo: position + count)
        let first = Int(position & Int64(mask))
        let bit: UInt64 = 1 << UInt64(first & 63)
        if presence[first >> 6] & bit != 0 { return .duplicate }
        presence[first >> 6] |= bit
        var slot = first
        for byte in payload {
            samples[slot] = table[Int(byte)]
            slot = (slot + 1) & mask
        }
        if position + count > highestEnd { highestEnd = position + count }
        return .written
    }

    /// Claims the `count` slots at `position` for decoded samples (a codec with state decodes only what
    /// will be written: a duplicate or a late packet must not advance its decoder). `.written`: the slots
    /// are claimed and must be filled with ``store(position:samples:)``.
    @inline(__always)
    public func claim(position: Int64, count: Int) -> WriteOutcome {
        guard position >= releasedIndex.load(ordering: .relaxed) else { return .late }
        guard position + Int64(count) <= consumedIndex.load(ordering: .acquiring) + Int64(capacity) else { return .overflow }
        clear(upTo: position + Int64(count))
        let first = Int(position & Int64(mask))
        let bit: UInt64 = 1 << UInt64(first & 63)
        if presence[first >> 6] & bit != 0 { return .duplicate }
        presence[first >> 6] |= bit
        if position + Int64(count) > highestEnd { highestEnd = position + Int64(count) }
        return .written
    }

    /// Copies decoded samples into slots ``claim(position:count:)`` gave.
    @inline(__always)
    public func store(position: Int64, samples decoded: UnsafeBufferPointer<Int16>) {
        var slot = Int(position & Int64(mask))
        var source = decoded.baseAddress!
        var left = decoded.count
        while left > 0 {
            let run = min(left, capacity - slot)
            (samples + slot).update(from: source, count: run)
            source += run
            left -= run
            slot = (slot + run) & mask
        }
    }

    /// How far `release(upTo: target)` would go now: `target`, bounded by the free space.
    @inline(__always)
    public func releasable(upTo target: Int64) -> Int64 {
        min(target, consumedIndex.load(ordering: .acquiring) + Int64(capacity))
    }

    /// Zeroes `[from, to)`, released already and not yet read: a paused span the capture thread released
    /// before the stream's decode queue ran (the queue's silence, which must follow the audio it covers).
    /// Consumer thread only.
    public func zero(from: Int64, to: Int64) {
        zeroSlots(from: max(from, readPosition), to: to)
    }

    /// Zeroes the slots of positions `[from, to)` (at most one lap).
    private func zeroSlots(from: Int64, to: Int64) {
        var position = from
        while position < to {
            let slot = Int(position & Int64(mask))
            let run = min(Int(to - position), capacity - slot)
            (samples + slot).update(repeating: 0, count: run)
            position += Int64(run)
        }
    }

    /// Publishes silence and audio up to `target` (bounded by the free space) to the consumer.
    public func release(upTo target: Int64) {
        let limit = consumedIndex.load(ordering: .acquiring) + Int64(capacity)
        let end = min(target, limit)
        guard end > releasedIndex.load(ordering: .relaxed) else { return }
        clear(upTo: end)
        releasedIndex.store(end, ordering: .releasing)
    }

    /// Readies slots from `cleared` to `end` (never beyond the consumer's lap) for this lap: clears their
    /// presence bits, and zeroes the samples the kernel has not zeroed already (see `zeroedFrom`).
    private func clear(upTo end: Int64) {
        guard end > cleared else { return }
        var position = cleared
        while position < end {
            let slot = Int(position & Int64(mask))
            let run = min(Int(end - position), capacity - slot)
            clearPresence(from: slot, count: run)
            position += Int64(run)
        }
        zeroSlots(from: max(cleared, reuseFrom), to: min(end, zeroedFrom))
        cleared = end
    }

    /// Clears `count` presence bits from `slot` a word at a time (the run never wraps).
    private func clearPresence(from slot: Int, count: Int) {
        var bit = slot
        let end = slot + count
        while bit < end {
            let offset = bit & 63
            let width = min(64 - offset, end - bit)
            let mask: UInt64 = width == 64 ? ~0 : ((1 << UInt64(width)) - 1) << UInt64(offset)
            presence[bit >> 6] &= ~mask
            bit += width
        }
    }

    /// Bytes of the ring's samples resident in memory now (mincore): for tests and diagnostics.
    public var residentBytes: Int {
        var vector = [UInt8](repeating: 0, count: mappedBytes / pageBytes)
        guard mincore(samples, mappedBytes, &vector) == 0 else { return mappedBytes }
        return vector.reduce(0) { $0 + Int($1 & 1) } * pageBytes
    }

    // MARK: Consumer

    /// Samples released and not yet read.
    public func readable(consumer: Int64) -> Int64 {
        releasedIndex.load(ordering: .acquiring) - consumer
    }

    /// The consumer's read position (consumer thread only).
    public var consumed: Int64 { readPosition }

    /// Copies `count` released samples into `destination` (stride `stride`) and frees their slots.
    public func read(into destination: UnsafeMutablePointer<Int16>, count: Int, stride: Int = 1) {
        let start = readPosition
        precondition(start + Int64(count) <= releasedIndex.load(ordering: .acquiring), "read beyond released")
        // At most two contiguous runs (the ring wraps once); no per-sample masking.
        var slot = Int(start & Int64(mask))
        var remaining = count
        var out = destination
        while remaining > 0 {
            let run = min(remaining, capacity - slot)
            if stride == 1 {
                out.update(from: samples + slot, count: run)
                out += run
            } else {
                var source = samples + slot
                for _ in 0..<run {
                    out.pointee = source.pointee
                    out += stride
                    source += 1
                }
            }
            remaining -= run
            slot = (slot + run) & mask
        }
        readPosition = start + Int64(count)
        publish()
    }

    /// Hands finished whole pages back: first to the kernel, then to the producer. Until `consumedIndex`
    /// moves, the producer may write only below `publishedPosition + capacity`, so the slots of
    /// `[publishedPosition, target)` — its next lap — are not being written while they are returned.
    private func publish() {
        let target = pageStart(atOrBefore: readPosition)
        guard target > publishedPosition else { return }
        if granule > 1 {
            // Whole pages only: the first publication may start inside one.
            var from = pageStart(atOrBefore: publishedPosition + granule - 1)
            while from < target {
                let slot = Int(from & Int64(mask))
                let run = min(Int(target - from), capacity - slot)
                if madvise(samples + slot, run * MemoryLayout<Int16>.stride, MADV_DONTNEED) != 0 {
                    // Kept resident: the producer counts on the next lap finding these slots zero.
                    (samples + slot).update(repeating: 0, count: run)
                }
                from += Int64(run)
            }
        }
        publishedPosition = target
        consumedIndex.store(target, ordering: .releasing)
    }

    /// The start of the granule holding `position` (positions may be negative: floor, not truncation).
    private func pageStart(atOrBefore position: Int64) -> Int64 {
        StreamRing.pageStart(atOrBefore: position, granule: granule)
    }

    private static func pageStart(atOrBefore position: Int64, granule: Int64) -> Int64 {
        position - ((position % granule) + granule) % granule
    }
}

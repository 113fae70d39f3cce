import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// How long an API client may take, and how many may be connected (`[api] headerTimeout`, `idleTimeout`,
/// `maxConnections`).
public struct APIConnectionLimits: Sendable {
    /// A complete request (head and body) must arrive within this of the connection opening, or of the
    /// request's first part.
    public var headerTimeout: TimeAmount
    /// No request in progress for this long: closed. Also a response the client has read nothing of for
    /// this long (the socket stayed full): closed.
    public var idleTimeout: TimeAmount
    public var maxConnections: Int

    public init(headerTimeout: TimeAmount = .seconds(10), idleTimeout: TimeAmount = .seconds(60), maxConnections: Int = 256) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}

/// The open connections of one API listener: who waits for a request (and since when), who is being
/// answered, and why connections were closed. Thread-safe (connections live on the API event loop, the
/// figures are read from elsewhere).
public final class APIConnections: Sendable {
    /// Why siprecd closed a connection it had accepted.
    public enum CloseReason: String, Sendable, CaseIterable {
        /// No complete request within `headerTimeout`.
        case headerTimeout
        /// Keep-alive connection idle for `idleTimeout`.
        case idleTimeout
        /// A response the client read nothing of for `idleTimeout`.
        case stalled
        /// Closed to make room for a new connection at `maxConnections` (it had waited longest for a request).
        case evicted
        /// A new connection answered 503 and closed: every connection was busy with a request.
        case refused
    }

    private struct Entry {
        let channel: any Channel
        /// Waiting for a request since this deadline's uptime (nil while a request is read or answered).
        var waitingSince: UInt64?
    }

    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var closed: [CloseReason: Int] = [:]
    }

    public let limits: APIConnectionLimits
    private let state = NIOLockedValueBox(State())

    public init(limits: APIConnectionLimits) {
        self.limits = limits
    }

    /// Open connections now.
    public var openCount: Int { state.withLockedValue { $0.open.count } }

    /// Connections closed by siprecd since start, by reason.
    public var closedCounts: [CloseReason: Int] { state.withLockedValue { $0.closed } }

    /// A new connection: admitted (perhaps by closing the one that has waited longest for its request), or
    /// refused when every open connection is busy answering.
    func admit(_ channel: any Channel) -> Bool {
        let now = NIODeadline.now().uptimeNanoseconds
        let (admitted, victim): (Bool, (any Channel)?) = state.withLockedValue { state in
            var victim: (any Channel)?
            if state.open.count >= limits.maxConnections {
                guard let oldest = state.open.filter({ $0.value.waitingSince != nil })
                    .min(by: { $0.value.waitingSince! < $1.value.waitingSince! }) else {
                    state.closed[.refused, default: 0] += 1
                    return (false, nil)
                }
                state.open[oldest.key] = nil
                state.closed[.evicted, default: 0] += 1
                victim = oldest.value.channel
            }
            state.open[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: now)
            return (true, victim)
        }
        victim?.close(promise: nil)
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in
                state.withLockedValue { $0.open[ObjectIdentifier(channel)] = nil }
            }
        }
        return admitted
    }

    func waiting(_ channel: any Channel, _ isWaiting: Bool) {
        let now = NIODeadline.now().uptimeNanoseconds
        state.withLockedValue { state in
            state.open[ObjectIdentifier(channel)]?.waitingSince = isWaiting ? now : nil
        }
    }

    func closing(_ reason: CloseReason) {
        state.withLockedValue { $0.closed[reason, default: 0] += 1 }
    }

    /// Prometheus lines: open connections and closes by reason, for `GET /metrics`.
    public func prometheus(name: String) -> String {
        let (open, closed) = state.withLockedValue { ($0.open.count, $0.closed) }
        var out = "# HELP \(name)_connections Open API connections.\n# TYPE \(name)_connections gauge\n\(name)_connections \(open)\n"
        out += "# HELP \(name)_connections_closed_total API connections siprecd closed, by reason.\n"
        out += "# TYPE \(name)_connections_closed_total counter\n"
        for reason in CloseReason.allCases {
            out += "\(name)_connections_closed_total{reason=\"\(reason.rawValue)\"} \(closed[reason] ?? 0)\n"
        }
        return out
    }
}

/// Watches one HTTP connection (after the HTTP codec): the time to a complete request, the idle time
/// between requests, and a response the client stopped reading. Lives on the connection's event loop.
final class APIConnectionTimer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connections: APIConnections
    /// Requests read completely whose response has not ended yet.
    private var answering = 0
    private var readingRequest = false
    private var deadline: Scheduled<Void>?
    private var stall: Scheduled<Void>?

    init(connections: APIConnections) {
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(context, after: connections.limits.headerTimeout, reason: .headerTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        stall?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            if answering == 0, !readingRequest { arm(context, after: connections.limits.headerTimeout, reason: .headerTimeout) }
            readingRequest = true
        case .body:
            break
        case .end:
            readingRequest = false
            answering += 1
            deadline?.cancel()
            deadline = nil
            connections.waiting(context.channel, false)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        answering = max(0, answering - 1)
        // Idle from the moment the response's last byte is in the kernel, not when it was queued: closing
        // earlier would drop what a slow reader has not been sent yet.
        let written = promise ?? context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenSuccess { [self] in
            guard answering == 0, !readingRequest else { return }
            connections.waiting(context.channel, true)
            arm(context, after: connections.limits.idleTimeout, reason: .idleTimeout)
        }
        context.write(data, promise: written)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Unwritable: the client's socket buffer is full. A reader that keeps reading makes it writable
        // again long before idleTimeout; one that reads nothing is cut then.
        if context.channel.isWritable {
            stall?.cancel()
            stall = nil
        } else if stall == nil {
            let loop = context.eventLoop.assumeIsolated()
            stall = loop.scheduleTask(in: connections.limits.idleTimeout) { [connections] in
                connections.closing(.stalled)
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        stall?.cancel()
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount, reason: APIConnections.CloseReason) {
        deadline?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: delay) { [connections] in
            connections.closing(reason)
            context.close(promise: nil)
        }
    }
}

/// A connection over `maxConnections` while every other one is busy: `503` at once, then closed. Sits
/// alone in the pipeline, so the bytes go out as they are and whatever the client sends is dropped.
final class RefusedAPIConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    static let response: String = {
        let body = #"{"error":"too many API connections: every one is busy, try again","status":503}"#
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Retry-After: 1\r\nConnection: close\r\nServer: siprecd\r\n\r\n\(body)"
    }()

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private var done = false

    private func refuse(_ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        let bytes = context.channel.allocator.buffer(string: Self.response)
        context.writeAndFlush(NIOAny(bytes)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

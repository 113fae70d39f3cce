import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The REST API over HTTP/1.1 (SwiftNIO, structured concurrency: one task per connection).
public enum APIServer {
    /// Binds and serves until the surrounding task is cancelled.
    public typealias Listener = NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>

    public static func bind(host: String, port: Int, group: EventLoopGroup, connections: APIConnections) async throws -> Listener {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in httpConnection(channel, connections: connections) }
    }

    /// The control socket: the same API on a Unix socket (mode 0660), for operator commands on the box.
    /// A socket file left by an earlier run is replaced.
    public static func bindLocal(path: String, group: EventLoopGroup, connections: APIConnections) async throws -> Listener {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                httpConnection(channel, connections: connections)
            }
        chmod(path, 0o660)
        return listener
    }

    /// True when something accepts connections on the Unix socket at `path` (a stale socket file of a
    /// process that is gone refuses them).
    public static func localSocketAnswers(path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return connected == 0
    }

    /// One accepted connection: the HTTP codec and its timer, or, over `maxConnections` with every
    /// connection busy, a 503 and nothing else.
    static func httpConnection(_ channel: Channel, connections: APIConnections)
        -> EventLoopFuture<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>>
    {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if connections.admit(channel) {
                try pipeline.configureHTTPServerPipeline()
                try pipeline.addHandler(APIConnectionTimer(connections: connections))
            } else {
                try pipeline.addHandler(RefusedAPIConnection())
            }
            // Half-closure: finishing the writer shuts the socket for writing only after every queued byte
            // is written (`handle` then waits for the close), instead of a close that drops them.
            return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    /// Serves connections until cancelled. `local`: requests from the control socket, which need no
    /// credentials (whoever may open the socket file is an operator of the box).
    public static func serve(_ server: Listener, router: APIRouter, local: Bool = false, logger: Logger) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask {
                        do {
                            try await handle(connection, router: router, local: local)
                        } catch let error as FileReadError {
                            // The disk failed under a download: the client got fewer bytes than announced.
                            logger.error("download cut short: the recording file could not be read", metadata: ["error": "\(error)"])
                        } catch {
                            logger.debug("API connection ended: \(error)")
                        }
                    }
                }
            }
        }
    }

    /// Request bodies are small JSON documents; anything larger is refused (413) without being kept.
    static let maxBody = 64 * 1024
    /// How long a closing connection may take to deliver what is still queued before it is cut.
    static let lingerLimit: TimeAmount = .seconds(60)

    static func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, router: APIRouter,
                       local: Bool) async throws {
        let channel = connection.channel
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var bodySize = 0
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let h):
                    head = h
                    bodySize = 0
                    body.removeAll(keepingCapacity: true)
                case .body(let chunk):
                    bodySize += chunk.readableBytes
                    if bodySize <= maxBody { body += chunk.readableBytesView }
                case .end:
                    let receivedNanos = Int64(NIODeadline.now().uptimeNanoseconds)
                    guard let request = head else { continue }
                    let response = bodySize > maxBody
                        ? APIResponse.error(.payloadTooLarge, "request body larger than \(maxBody) bytes")
                        : await router.route(APIRequest(method: request.method, uri: request.uri,
                                                        authorization: request.headers.first(name: "Authorization"),
                                                        body: String(decoding: body, as: UTF8.self), local: local,
                                                        receivedNanos: receivedNanos))
                    try await write(response, to: outbound, version: request.version, keepAlive: request.isKeepAlive,
                                    headOnly: request.method == .HEAD)
                    if !request.isKeepAlive {
                        try await drainThenClose(channel, outbound)
                        return
                    }
                }
            }
        }
    }

    /// Ends a connection without losing the response: `executeThenClose` closes the channel the moment
    /// its body returns, and SwiftNIO drops writes still queued then (swift-nio issue 2795: a slow client
    /// got a 10-minute master megabytes short). Finishing the writer half-closes the socket once
    /// everything queued is written; the client then closes, or `lingerLimit` cuts a client that never does.
    static func drainThenClose(_ channel: Channel, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        outbound.finish()
        let cut = channel.eventLoop.scheduleTask(in: lingerLimit) { channel.close(promise: nil) }
        defer { cut.cancel() }
        try? await channel.closeFuture.get()
    }

    static func write(_ response: APIResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                      version: HTTPVersion, keepAlive: Bool, headOnly: Bool) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Server", value: "siprecd")
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        for (name, value) in response.extraHeaders { headers.add(name: name, value: value) }
        switch response.body {
        case .bytes(let bytes):
            headers.add(name: "Content-Length", value: String(bytes.count))
            try await outbound.write(.head(HTTPResponseHead(version: version, status: response.status, headers: headers)))
            if !headOnly { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
        case .events(let stream):
            headers.replaceOrAdd(name: "Cache-Control", value: "no-cache")
            headers.replaceOrAdd(name: "Connection", value: "close")
            try await outbound.write(.head(HTTPResponseHead(version: version, status: response.status, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: ": siprecd events\n\n"))))
            for await event in stream {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: "data: \(event)\n\n"))))
            }
        case .file(let path, let size):
            headers.add(name: "Content-Length", value: String(size))
            try await outbound.write(.head(HTTPResponseHead(version: version, status: response.status, headers: headers)))
            if !headOnly {
                try await FileReader.chunks(of: path, length: size) { chunk in
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                }
            }
        }
        try await outbound.write(.end(nil))
    }
}

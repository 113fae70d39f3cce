import LibCrypto
import NIOCore
import Synchronization

/// SIP over TLS: the contexts new connections are made from, and the event loop TLS connections run on.
///
/// Handshakes (public-key operations, a millisecond or more each) and record encryption run on their own
/// loop, never on the SIP server's: a burst of handshakes — an SBC fail-over, or a flood — cannot delay a
/// UDP or TCP SRC's messages. Complete SIP messages cross to the server's loop.
public final class SIPTLS: Sendable {
    /// The loop TLS connections (accepted and siprecd's own) run on.
    public let eventLoop: EventLoop
    private let contexts: Mutex<(server: TLSContext, client: TLSContext)>

    public init(eventLoop: EventLoop, server: TLSContext, client: TLSContext) {
        self.eventLoop = eventLoop
        contexts = Mutex((server, client))
    }

    /// The context a new accepted connection is made from (a reload checks open connections against it).
    public var server: TLSContext { contexts.withLock { $0.server } }
    /// The context of siprecd's own connections to an SRC.
    var client: TLSContext { contexts.withLock { $0.client } }

    /// New certificates (SIGHUP): connections made from now on use them; open ones keep theirs.
    public func replace(server: TLSContext, client: TLSContext) {
        contexts.withLock { $0 = (server, client) }
    }

}

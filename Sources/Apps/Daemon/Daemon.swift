import Recorder
import SystemLayer
import Events
import API
import Capture
import Catalog
import Config
import Dispatch
import Logging
import MediaCore
import NIOCore
import NIOPosix
import Pipeline
import Signalling
import Signatures
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Starts every service of `siprecd run` and runs until SIGTERM/SIGINT, then ends live sessions
/// (their files are closed and catalogued) before exiting.
public enum Daemon {
    /// - Parameter reload: reads the configuration again (file, environment, flags) for SIGHUP.
    public static func run(config: SiprecdConfig, logger: Logger,
                           reload: (@Sendable () throws -> SiprecdConfig)? = nil) async throws {
        let webhooks = config.webhooks
        FileSystem.raiseOpenFileLimit(logger: logger)
        let authentication = try APIAuthentication.make(config.api)
        let dataDir = config.storage.dataDir
        try FileSystem.makeDirectories(dataDir)
        // Before anything reads the catalog: recovery must never touch another instance's live recordings.
        let lock = try DataDirectoryLock(dataDir: dataDir)
        logger.debug("data directory locked", metadata: ["lock": "\(lock.path)"])
        let catalog = try RecordingCatalog(path: "\(dataDir)/catalog.db")
        let recovered = try Recovery.recoverInterrupted(catalog: catalog, dataDir: dataDir,
                                                        events: EventFactory(settings: webhooks), logger: logger)
        if recovered > 0 { logger.warning("recovered \(recovered) recording(s) interrupted by a crash or power loss") }
        let checkpoints = try CatalogCheckpoints(try CatalogCheckpointer(catalog), logger: logger)

        let controlGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // SIP/TLS handshakes and records on a loop of their own (SIPTLS): never on the SIP server's.
        let tlsGroup = SIPTLSSetup.listens(config) ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        let sipTLS = try tlsGroup.flatMap { try SIPTLSSetup.start(config, eventLoop: $0.next(), logger: logger) }
        let apiGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let catalogWorker = NIOThreadPool(numberOfThreads: 1)
        catalogWorker.start()
        let loop = controlGroup.next()

        let sipListen = config.sip.listen
        let mediaHost = sipListen.first?.address.host ?? "127.0.0.1"
        let settings = RecordingSettings.from(config)
        let capture = CaptureSelection.open(config: config, logger: logger)
        // The engine reports finished recordings to the service, which owns the engine: a weak link back,
        // so neither keeps the other alive.
        let finished = FinishedRecordings()
        let engine = MediaEngine(source: capture.source, onFinish: { finished.report($0, $1) })
        let service = RecordingService(eventLoop: loop, settings: settings,
                                       portRange: (config.media.rtpPorts.low, config.media.rtpPorts.high),
                                       socketReceiveBuffer: capture.socketReceiveBuffer, engine: engine,
                                       catalog: catalog, catalogWorker: catalogWorker, logger: logger)
        finished.service = service
        var sipSettings = SIPServerSettings(
            advertisedHost: mediaHost, port: sipListen.first?.address.port ?? 5060,
            maxMessageSize: config.sip.maxMessageSize, isAllowed: { [sip = config.sip] in sip.isAllowed($0) },
            userAgent: "siprecd/\(SiprecdVersion.string)")
        sipSettings.maxTCPConnections = config.sip.maxTCPConnections
        sipSettings.tcpFirstMessageTimeout = config.sip.tcpFirstMessageTimeout
        sipSettings.sessionTimers = SessionTimerSettings(sessionExpires: Int(config.sip.sessionExpires.components.seconds),
                                                         minimum: Int(config.sip.minSessionExpires.components.seconds))
        sipSettings.reconnectGrace = config.sip.reconnectGrace
        for listen in sipListen.reversed() {
            sipSettings.ports[SIPFlow.Transport(listen.transport)] = listen.address.port
        }
        let sipServer = SIPServer(eventLoop: loop, settings: sipSettings, logger: logger)
        let passive = config.sip.mode == .passive
        let broadcaster = EventBroadcaster()
        try await loop.submit {
            sipServer.delegate = service
            sipServer.tls = sipTLS
            service.start(sipServer: sipServer, webhooks: webhooks, recordPlainCalls: config.sip.recordPlainCalls,
                          live: { body, domain in broadcaster.publish(body, domain: domain) })
        }.get()
        let webhooksOn = !webhooks.base.isEmpty || !webhooks.alarms.isEmpty
        let dispatcher = webhooksOn ? WebhookDispatcher(catalog: catalog, settings: webhooks, logger: logger) : nil
        try dispatcher?.start()
        if webhooksOn { logger.info("events are delivered by webhook", metadata: ["base": "\(webhooks.base)", "alarms": "\(webhooks.alarmsURL)"]) }
        var sipCapture: FrameCaptureLoop?
        if passive {
            guard capture.mode == "pcap" else {
                throw FileSystemError(message: "passive mode needs libpcap capture on \(config.media.interface) (see the log line above for why it is unavailable)")
            }
            let filter = PcapFrameSource.sipFilter(ports: sipListen.map(\.address.port))
            let frames = try PcapFrameSource(interface: config.media.interface, filter: filter, promiscuous: true)
            sipCapture = PassiveSIP.follow(frames, into: service)
            logger.info("passive mode: following SIP", metadata: ["interface": "\(config.media.interface)", "filter": "\(filter)"])
        }
        try engine.start()
        try sipCapture?.start()

        var channels: [Channel] = []
        for listen in sipListen where !passive {
            do {
                switch listen.transport {
                case .udp: channels.append(try await SIPTransport.bindUDP(host: listen.address.host, port: listen.address.port, server: sipServer))
                case .tcp: channels.append(try await SIPTransport.bindTCP(host: listen.address.host, port: listen.address.port, server: sipServer))
                case .tls:
                    guard let sipTLS else { continue }
                    channels.append(try await SIPTransport.bindTLS(host: listen.address.host, port: listen.address.port, server: sipServer, tls: sipTLS))
                }
            } catch {
                throw ListenError(what: "SIP over \(listen.transport.rawValue.uppercased())", address: "\(listen.address)", error: error)
            }
            logger.info("SIP listening", metadata: ["listen": "\(listen)"])
        }
        let limits = APIConnectionLimits(headerTimeout: .nanoseconds(config.api.headerTimeout.nanoseconds),
                                         idleTimeout: .nanoseconds(config.api.idleTimeout.nanoseconds),
                                         maxConnections: config.api.maxConnections)
        let apiConnections = APIConnections(limits: limits)
        let api: APIServer.Listener
        do {
            api = try await APIServer.bind(host: config.api.listen.host, port: config.api.listen.port, group: apiGroup,
                                           connections: apiConnections)
        } catch {
            throw ListenError(what: "the API (HTTP over TCP)", address: "\(config.api.listen)", error: error)
        }
        logger.info("API listening", metadata: ["listen": "\(config.api.listen)"])
        var control: APIServer.Listener?
        if let path = config.controlSocketPath {
            // A live control socket belongs to another siprecd: taking it over would leave that one deaf.
            if APIServer.localSocketAnswers(path: path) {
                throw ListenError(what: "the control socket", address: path,
                                  error: FileSystemError(message: "another siprecd answers on it"))
            }
            do {
                control = try await APIServer.bindLocal(path: path, group: apiGroup, connections: APIConnections(limits: limits))
                logger.info("control socket listening", metadata: ["path": "\(path)"])
            } catch {
                // Operator commands then use the API port; nothing else depends on the socket.
                logger.warning("no control socket", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        var configuredBackend = DaemonBackend(catalog: catalog, catalogWorker: catalogWorker, service: service,
                                    sipServer: sipServer, engine: engine, pcap: (capture.source as? PcapPacketSource).map(PcapStatisticsReader.init),
                                    dataDir: dataDir, totals: settings.totals, events: broadcaster,
                                    tokens: ReplyToken(secret: Array(webhooks.secret.utf8)))
        configuredBackend.captureMode = capture.mode
        configuredBackend.apiConnections = apiConnections
        let backend = configuredBackend
        logger.info("siprecd \(SiprecdVersion.string) ready", metadata: [
            "data_dir": "\(dataDir)", "rtp_ports": "\(config.media.rtpPorts)", "capture": "\(capture.mode)",
            "encoder_threads": "\(engine.encoderThreads)"])

        // systemd (Type=notify): ready now that SIP, capture and the API listen; the watchdog follows the data plane.
        let supervision = ServiceNotifier.fromEnvironment().map {
            ServiceSupervision(notifier: $0, engine: engine, service: service, logger: logger)
        }
        supervision?.ready(on: loop)
        if let reload {
            ReloadSignal.install { [config] in
                do {
                    let fresh = try reload()
                    if let sipTLS, SIPTLSSetup.reload(sipTLS, from: fresh, logger: logger) {
                        // Open connections whose certificate the new [tls] refuses are closed.
                        let context = sipTLS.server
                        loop.execute { sipServer.recheckTLSConnections(with: context) }
                    }
                    loop.execute { service.reload(from: fresh, running: config) }
                } catch {
                    logger.error("configuration reload refused; the running configuration stays", metadata: ["error": "\(error)"])
                }
            }
        }

        await withThrowingTaskGroup(of: Void.self) { group in
            let router = APIRouter(backend: backend, authenticator: authentication, publicMetrics: config.api.publicMetrics)
            group.addTask { try await APIServer.serve(api, router: router, logger: logger) }
            if let control { group.addTask { try await APIServer.serve(control, router: router, local: true, logger: logger) } }
            await ShutdownSignal.wait()
            supervision?.stopping()
            logger.info("shutting down: ending live sessions")
            // Stop taking new sessions first, so every recording started can be closed.
            sipCapture?.stop()
            try? await loop.submit { service.endAll() }.get()
            for _ in 0..<200 {
                let active = (try? await loop.submit { service.activeCount }.get()) ?? 0
                if active == 0 { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            group.cancelAll()
        }
        for channel in channels { try? await channel.close() }
        // TLS connections report to the control loop as they close: they go before it does.
        try? await tlsGroup?.shutdownGracefully()
        sipCapture?.stop()
        engine.stop()
        dispatcher?.stop()
        try? await catalogWorker.shutdownGracefully()
        checkpoints.stop()
        try? await controlGroup.shutdownGracefully()
        try? await apiGroup.shutdownGracefully()
        if let path = config.controlSocketPath, control != nil { unlink(path) }
        logger.info("siprecd stopped")
    }
}

/// SIGTERM / SIGINT as an awaitable event.
enum ShutdownSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "siprecd.signals")
            let once = OnceFlag()
            var sources: [DispatchSourceSignal] = []
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler {
                    if once.fire() { continuation.resume() }
                }
                source.resume()
                sources.append(source)
            }
            SignalSources.keep(sources)
        }
    }
}

/// Keeps the signal sources alive for the process's life.
enum SignalSources {
    nonisolated(unsafe) static var retained: [DispatchSourceSignal] = []
    static func keep(_ sources: [DispatchSourceSignal]) { retained += sources }
}

/// SIGHUP: reload the configuration.
enum ReloadSignal {
    static func install(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "siprecd.reload"))
        source.setEventHandler { handler() }
        source.resume()
        SignalSources.keep([source])
    }
}

final class OnceFlag: @unchecked Sendable {
    // @unchecked: only touched on the serial signal queue.
    private var fired = false
    func fire() -> Bool {
        defer { fired = true }
        return !fired
    }
}

/// siprecd cannot listen where the configuration says: another process (a second siprecd?) has the port,
/// or the address is not the box's. Says what, where, and the system's reason.
struct ListenError: Error, CustomStringConvertible {
    var what: String
    var address: String
    var error: any Error

    var description: String {
        guard let io = error as? IOError else { return "cannot listen for \(what) on \(address): \(error)" }
        let hint = switch io.errnoCode {
        case EADDRINUSE: " (is another siprecd running? `ss -lunpt` shows who holds the port)"
        case EACCES: " (ports below 1024 need CAP_NET_BIND_SERVICE, which the systemd unit grants)"
        case EADDRNOTAVAIL: " (no interface of this machine has that address)"
        default: ""
        }
        return "cannot listen for \(what) on \(address): \(String(cString: strerror(io.errnoCode)))\(hint)"
    }
}

/// Where the media engine reports a finished recording: the recording service, set once it exists. Weak,
/// so the engine (owned by the service) does not keep the service alive; the service outlives every
/// recording (the daemon holds it until the engine has stopped).
final class FinishedRecordings: @unchecked Sendable {
    // @unchecked: `service` is set once, before the engine starts, and only read afterwards.
    weak var service: RecordingService?

    func report(_ pipeline: RecordingPipeline, _ outcome: RecordingOutcome) {
        service?.mediaFinished(pipeline, outcome)
    }
}

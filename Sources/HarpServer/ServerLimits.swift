/// Bounds on what one client can ask of the server.
public struct ServerLimits: Sendable {
    /// Open connections at once; more wait in the listen backlog.
    public var maxConnections = 64
    /// Requests being answered at once; more get `503 Service Unavailable` at once.
    public var maxConcurrentRequests = 48
    /// Longest request target (path and query), bytes; longer gets `414`.
    public var maxURILength = 2048
    /// Largest request body, bytes; a larger declared `Content-Length` gets `413`.
    public var maxBodyBytes = 8 << 20
    /// A connection idle this long is closed, seconds.
    public var idleTimeoutSeconds: Int64 = 30
    /// Largest instrument file held in memory, bytes.
    public var maxInstrumentBytes = 256 << 20
    /// Methods answered; anything else gets `405`. Tests add `POST` for their result route.
    public var allowedMethods: Set<String> = ["GET"]

    public init() {}
}

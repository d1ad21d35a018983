import Foundation
import Hummingbird

/// Refuses requests that are too long, too big, of a method the server does not answer, or that
/// arrive while `maxConcurrentRequests` are already being answered.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: ServerLimits
    let inFlight = InFlightCounter()

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limits.allowedMethods.contains(request.method.rawValue) else { throw HTTPError(.methodNotAllowed) }
        guard request.uri.description.utf8.count <= limits.maxURILength else { throw HTTPError(.uriTooLong) }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
            throw HTTPError(.contentTooLarge)
        }
        guard inFlight.enter(limit: limits.maxConcurrentRequests) else {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"])
        }
        defer { inFlight.leave() }
        return try await next(request, context)
    }
}

/// A lock-protected count of requests in progress.
final class InFlightCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Counts one more request unless `limit` are already in progress.
    func enter(limit: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard count < limit else { return false }
        count += 1
        return true
    }

    func leave() {
        lock.lock()
        count -= 1
        lock.unlock()
    }
}

/// Shows every request to a closure (logging, tests) before passing it on.
struct ObserverMiddleware<Context: RequestContext>: RouterMiddleware {
    let observe: @Sendable (Request) -> Void

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        observe(request)
        return try await next(request, context)
    }
}

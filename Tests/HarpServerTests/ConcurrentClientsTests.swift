import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HarpServer
import Hummingbird
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Many clients at once on 127.0.0.1 are all answered, quickly; a silent connection does not
/// hold the others up.
struct ConcurrentClientsTests {
    @Test(.timeLimit(.minutes(1)))
    func manyConcurrentRequestsAreAllAnswered() async throws {
        let (server, _) = try TestInstrument.server()
        let app = server.makeApplication(router: server.makeRouter(), port: 0)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let clock = ContinuousClock()
            let started = clock.now
            // A connection that sends nothing must not block anyone.
            let idle = try IdleSocket(port: port)
            defer { idle.close() }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                let paths = ["/", "/play/bell", "/instruments/bell/parameters", "/static/worklet.js", "/instruments/bell/control.png"]
                for i in 0..<200 {
                    group.addTask { try await Self.status(of: "http://127.0.0.1:\(port)\(paths[i % paths.count])") }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let elapsed = clock.now - started
            print("200 requests from concurrent clients answered in \(elapsed)")
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 }, "\(Set(statuses))")
            #expect(statuses.filter { $0 == 200 }.count >= 150)
            #expect(elapsed < .seconds(30))
        }
    }

    private static func status(of url: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 20
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? -1
    }
}

/// A TCP connection to 127.0.0.1 that never sends a byte.
final class IdleSocket {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { throw POSIXError(.ECONNREFUSED) }
    }

    func close() { _ = Glibc.close(descriptor) }
}

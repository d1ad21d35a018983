import Foundation

/// The processes `mpirun` started, talking through Open MPI.
///
/// Open MPI is loaded when a run asks for it (`dlopen` of `libmpi.so.40`, Debian's `libopenmpi3`
/// that `openmpi-bin` brings), not linked: building Harp needs no MPI, and a harp started without
/// `mpirun` never touches it. Open MPI's handles (`MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_SUM`) are the
/// addresses of its global objects, which `dlsym` returns, and `MPI_IN_PLACE` is `(void *) 1`;
/// that is Open MPI's ABI (MPICH's handles are integers, so it is not supported).
public final class OpenMPIProcessGroup: ProcessGroup {
    public let rank: Int
    public let size: Int
    private let library: MPILibrary
    private var finished = false

    /// The group of this `mpirun` job, or `nil` when this process was not started by Open MPI's
    /// `mpirun` with more than one process.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> OpenMPIProcessGroup? {
        guard let size = environment["OMPI_COMM_WORLD_SIZE"].flatMap(Int.init), size > 1 else { return nil }
        return try OpenMPIProcessGroup(library: MPILibrary.load())
    }

    private init(library: MPILibrary) throws {
        self.library = library
        var initialized: Int32 = 0
        _ = library.initialized(&initialized)
        if initialized == 0 {
            guard library.initialize(nil, nil) == 0 else { throw DistributedError.mpiCall("MPI_Init") }
        }
        var rank: Int32 = 0, size: Int32 = 0
        guard library.commRank(library.world, &rank) == 0, library.commSize(library.world, &size) == 0 else {
            throw DistributedError.mpiCall("MPI_Comm_rank")
        }
        self.rank = Int(rank)
        self.size = Int(size)
    }

    public func sumInPlace(_ values: inout [Float]) {
        let inPlace = UnsafeRawPointer(bitPattern: 1)
        values.withUnsafeMutableBufferPointer { buffer in
            // MPI counts are 32-bit: large buffers go in pieces.
            var start = 0
            while start < buffer.count {
                let count = min(buffer.count - start, 1 << 28)
                let status = library.allReduce(inPlace, buffer.baseAddress! + start, Int32(count),
                                               library.float, library.sum, library.world)
                precondition(status == 0, "MPI_Allreduce failed with \(status)")
                start += count
            }
        }
    }

    /// Ends this process's part of the job (MPI_Finalize); call once, after the last collective.
    public func finish() {
        guard !finished else { return }
        finished = true
        _ = library.finalize()
    }
}

/// The few Open MPI entry points Harp uses, looked up once.
private struct MPILibrary {
    typealias Handle = UnsafeMutableRawPointer
    let initialize: @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32
    let initialized: @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
    let commRank: @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    let commSize: @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    let allReduce: @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer, Int32, Handle, Handle, Handle) -> Int32
    let finalize: @convention(c) () -> Int32
    let world: Handle
    let float: Handle
    let sum: Handle

    static let candidates = ["libmpi.so.40", "libmpi.so"]

    static func load() throws -> MPILibrary {
        // RTLD_GLOBAL: Open MPI's own plugins resolve libmpi's symbols through the global scope.
        guard let handle = candidates.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first else {
            throw DistributedError.libraryMissing(candidates.joined(separator: " or "))
        }
        func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
            guard let address = dlsym(handle, name) else { throw DistributedError.symbolMissing(name) }
            return address
        }
        func function<F>(_ name: String, as type: F.Type) throws -> F {
            unsafeBitCast(try symbol(name), to: type)
        }
        return MPILibrary(
            initialize: try function("MPI_Init", as: (@convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32).self),
            initialized: try function("MPI_Initialized", as: (@convention(c) (UnsafeMutablePointer<Int32>) -> Int32).self),
            commRank: try function("MPI_Comm_rank", as: (@convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32).self),
            commSize: try function("MPI_Comm_size", as: (@convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32).self),
            allReduce: try function("MPI_Allreduce", as: (@convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer, Int32, Handle, Handle, Handle) -> Int32).self),
            finalize: try function("MPI_Finalize", as: (@convention(c) () -> Int32).self),
            world: try symbol("ompi_mpi_comm_world"),
            float: try symbol("ompi_mpi_float"),
            sum: try symbol("ompi_mpi_op_sum"))
    }
}

/// Why data-parallel training cannot start; each description is one line.
public enum DistributedError: Error, CustomStringConvertible {
    case libraryMissing(String)
    case symbolMissing(String)
    case mpiCall(String)

    public var description: String {
        switch self {
        case let .libraryMissing(names):
            return "started by mpirun, but Open MPI's library (\(names)) cannot be loaded; install Debian's openmpi-bin"
        case let .symbolMissing(name):
            return "the MPI library has no \(name): Harp needs Open MPI (MPICH is not supported)"
        case let .mpiCall(name):
            return "\(name) failed"
        }
    }
}

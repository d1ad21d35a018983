import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old file or the whole new one, never a part:
/// the bytes go to a temporary file in the destination folder (same file system, so the rename
/// is atomic), are flushed to disk, and the temporary file is renamed over the destination.
struct AtomicFileWriter {
    private let destination: String
    private let temporaryPath: String
    private var descriptor: Int32

    /// Creates the temporary file beside `url`.
    init(destination url: URL) throws(TensorFileError) {
        destination = url.path
        let folder = url.deletingLastPathComponent().path
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if descriptor < 0 { throw Self.error(destination) }
    }

    /// Appends `count` bytes from `bytes`.
    func write(_ bytes: UnsafeRawPointer, count: Int) throws(TensorFileError) {
        var written = 0
        while written < count {
            let result = Foundation.write(descriptor, bytes + written, count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.error(destination)
            }
            written += result
        }
    }

    /// Appends `data`.
    func write(_ data: [UInt8]) throws(TensorFileError) {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(TensorFileError) in
                if let base = raw.baseAddress { try write(base, count: raw.count) }
            }
        }
        try result.get()
    }

    /// Appends the values of `tensor` as little-endian `Float32`.
    func write(_ tensor: Tensor) throws(TensorFileError) {
        // The storage outlives this call because `tensor` holds it.
        try write(UnsafeRawPointer(tensor.storage.baseAddress + tensor.offset), count: tensor.count * 4)
    }

    /// Flushes and moves the file into place.
    mutating func commit() throws(TensorFileError) {
        let synced = fsync(descriptor) == 0
        let closed = close(descriptor) == 0
        descriptor = -1
        guard synced, closed, rename(temporaryPath, destination) == 0 else {
            let failure = Self.error(destination)
            unlink(temporaryPath)
            throw failure
        }
    }

    /// Removes the temporary file after a failure; the destination is untouched.
    mutating func abandon() {
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        unlink(temporaryPath)
    }

    /// Runs `body` with a writer for `url`, committing on success and abandoning on any error.
    static func write(to url: URL, _ body: (AtomicFileWriter) throws(TensorFileError) -> Void) throws(TensorFileError) {
        var writer = try AtomicFileWriter(destination: url)
        do {
            try body(writer)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    private static func error(_ path: String) -> TensorFileError {
        .io(path: path, reason: String(cString: strerror(errno)))
    }
}

/// Reads a whole file, memory-mapped where the platform allows so large weights are paged in lazily.
enum FileBytes {
    static func mapped(_ url: URL) throws(TensorFileError) -> Data {
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .io(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}

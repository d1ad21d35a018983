import ArgumentParser
import Foundation
import HarpAudio

/// How every subcommand reports a failure: one line on stderr, `harp: error: <file>: <what>`,
/// and a non-zero exit status (`ExitCode.failure`). The file named is the one at fault: a command
/// that reads several wraps each step in `blaming(path) { … }`.
enum ErrorReporting {
    /// An error about one file, reported as `<path>: <error>`.
    struct FileFault: Error {
        let path: String
        let error: Error
    }

    /// A failure described by the command itself (no library error behind it).
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `body`; whatever it throws is reported as being about `path`.
    static func blaming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let fault as FileFault {
            throw fault
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw FileFault(path: path, error: error)
        }
    }

    /// Writes one line for `error`; `subject` names what it is about (a file, an option) when the error does not.
    static func report(_ error: Error, subject: String? = nil) {
        if let fault = error as? FileFault {
            report(fault.error, subject: fault.path)
            return
        }
        let message: String
        switch error {
        case let error as AudioError where error.path != nil:
            message = error.description
        case let error as AudioError:
            message = subject.map { "\($0): \(error.reason)" } ?? error.reason
        default:
            let text = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
            message = subject.map { "\($0): \(text)" } ?? text
        }
        writeLine("harp: error: " + oneLine(message))
    }

    /// Runs `body`, reports any error and turns it into a failing exit.
    static func reportingFailure(subject: String? = nil, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            report(error, subject: subject)
            throw ExitCode.failure
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func writeLine(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

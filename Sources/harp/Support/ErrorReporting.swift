import ArgumentParser
import Foundation
import HarpAudio

/// How every subcommand reports a failure: one line on stderr, `harp: error: <file>: <what>`,
/// and a non-zero exit status (`ExitCode.failure`).
enum ErrorReporting {
    /// Writes one line for `error`; `subject` names what it is about (a file, an option) when the error does not.
    static func report(_ error: Error, subject: String? = nil) {
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

import Platform

/// Drives push parsers the way a connection does: bytes arrive in pieces, the parser takes
/// some, the rest waits in a pending buffer for the next piece.
enum ParseStepFeeding {
    /// What a sequence of pieces produced.
    struct Outcome<Output: Equatable>: Equatable {
        var outputs: [Output] = []
        var error: HTTPParseError?
        /// Bytes that were never consumed.
        var pendingBytes = 0
    }

    /// Every way to cut `bytes` in two, plus one byte at a time.
    static func splits(_ bytes: [UInt8]) -> [[[UInt8]]] {
        var result = (0...bytes.count).map { [Array(bytes[..<$0]), Array(bytes[$0...])] }
        result.append(bytes.map { [$0] })
        return result
    }

    static func requests(
        _ pieces: [[UInt8]], limits: HTTPLimits = HTTPLimits()
    )
        -> Outcome<HTTPRequest>
    {
        var parser = HTTPRequestParser(limits: limits)
        return feed(pieces) { bytes throws(HTTPParseError) in try parser.parse(bytes) }
    }

    static func responses(
        _ pieces: [[UInt8]], parser: HTTPResponseParser = HTTPResponseParser()
    )
        -> Outcome<HTTPResponseEvent>
    {
        var parser = parser
        var outcome = feed(pieces) { bytes throws(HTTPParseError) in try parser.parse(bytes) }
        if outcome.error == nil {
            do throws(HTTPParseError) {
                if let event = try parser.finishOnEOF() { outcome.outputs.append(event) }
            } catch {
                outcome.error = error
            }
        }
        return outcome
    }

    /// Merges adjacent body pieces: Content-Length and close-delimited bodies may arrive in
    /// pieces that depend on how the input was split, but their concatenation may not.
    static func merged(_ events: [HTTPResponseEvent]) -> [HTTPResponseEvent] {
        var result: [HTTPResponseEvent] = []
        for event in events {
            if case .bodyChunk(let more) = event, case .bodyChunk(let previous)? = result.last {
                result[result.count - 1] = .bodyChunk(previous + more)
            } else {
                result.append(event)
            }
        }
        return result
    }

    private static func feed<Output: Equatable>(
        _ pieces: [[UInt8]],
        _ parse: (UnsafeRawBufferPointer) throws(HTTPParseError) -> ParseStep<Output>
    ) -> Outcome<Output> {
        var outcome = Outcome<Output>()
        var pending: [UInt8] = []
        for piece in pieces {
            pending += piece
            while true {
                let result = pending.withUnsafeBytes { buffer in
                    Result { () throws(HTTPParseError) in try parse(buffer) }
                }
                let step: ParseStep<Output>
                switch result {
                case .success(let value): step = value
                case .failure(let error):
                    outcome.error = error
                    return outcome
                }
                precondition(step.consumed <= pending.count, "consumed more than it was given")
                pending.removeFirst(step.consumed)
                guard case .complete(let output, _) = step else { break }
                outcome.outputs.append(output)
            }
        }
        outcome.pendingBytes = pending.count
        return outcome
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

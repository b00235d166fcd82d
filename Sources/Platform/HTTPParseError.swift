/// A message that could not be parsed. For requests, `status` is the response the server
/// should send (always followed by closing the connection, because the framing of anything
/// after a bad message is unknown, RFC 9112 §2.2); for responses parsed by a client it
/// classifies the failure the same way. `reason` is human text for the error body.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var reason: String

    public init(status: HTTPStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code) \(status.reason): \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: .badRequest, reason: reason)
    }
}

/// The limit errors, built only when thrown: interpolating a message per line costs more than
/// parsing the line.
extension HTTPParseError {
    static func requestLineTooLong(_ limits: HTTPLimits) -> HTTPParseError {
        HTTPParseError(
            status: .uriTooLong,
            reason: "request line longer than \(limits.requestLineBytesMax) bytes")
    }

    static func statusLineTooLong(_ limits: HTTPLimits) -> HTTPParseError {
        .badRequest("status line longer than \(limits.requestLineBytesMax) bytes")
    }

    static func headerSectionTooLarge(_ limits: HTTPLimits) -> HTTPParseError {
        HTTPParseError(
            status: .requestHeaderFieldsTooLarge,
            reason: "header section (trailers included) larger than \(limits.headerBytesMax) bytes")
    }

    static func tooManyFields(_ limits: HTTPLimits) -> HTTPParseError {
        HTTPParseError(
            status: .requestHeaderFieldsTooLarge,
            reason: "more than \(limits.headerCountMax) header and trailer fields")
    }

    static func chunkLineTooLong(_ limits: HTTPLimits) -> HTTPParseError {
        .badRequest("chunk size line longer than \(limits.chunkLineBytesMax) bytes")
    }
}

/// Writes HTTP/1.1 messages into a caller-owned byte array (RFC 9112). Names and values come
/// from `HTTPHeaders`, which already keeps CR and LF out of values, so nothing written here
/// can split a message.
public enum HTTPResponseEncoder {
    /// Appends a status line and header section. Adds `Content-Length` when `contentLength` is
    /// given, otherwise `Transfer-Encoding: chunked` (the body then goes through `chunk` and
    /// `lastChunk`), and `Connection: close` when `keepAlive` is false. 1xx and 204 responses
    /// get neither framing header and 304 never gets chunked (RFC 9110 §8.6, RFC 9112 §6.1).
    /// `headers` must not carry framing fields of their own.
    public static func head(
        _ status: HTTPStatus, headers: HTTPHeaders, contentLength: Int?, keepAlive: Bool,
        into output: inout [UInt8]
    ) {
        precondition(
            !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding"),
            "the encoder owns the framing headers")
        precondition(contentLength.map { $0 >= 0 } ?? true, "a length is never negative")
        HTTPBytes.append("HTTP/1.1 ", to: &output)
        HTTPBytes.appendDecimal(status.code, to: &output)
        output.append(HTTPBytes.space)
        output.append(contentsOf: status.reason.utf8.map { $0 == 0x0D || $0 == 0x0A ? 0x20 : $0 })
        HTTPBytes.append("\r\n", to: &output)
        appendFields(headers, to: &output)
        let bodyless = status.code < 200 || status.code == 204
        if !bodyless, let contentLength {
            HTTPBytes.append("Content-Length: ", to: &output)
            HTTPBytes.appendDecimal(contentLength, to: &output)
            HTTPBytes.append("\r\n", to: &output)
        } else if !bodyless, status.code != 304 {
            HTTPBytes.append("Transfer-Encoding: chunked\r\n", to: &output)
        }
        if !keepAlive { HTTPBytes.append("Connection: close\r\n", to: &output) }
        HTTPBytes.append("\r\n", to: &output)
    }

    /// Appends one chunk, `size-in-hex CRLF data CRLF` (RFC 9112 §7.1). Empty input writes
    /// nothing, because an empty chunk would end the body.
    public static func chunk(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        HTTPBytes.appendHex(bytes.count, to: &output)
        HTTPBytes.append("\r\n", to: &output)
        output.append(contentsOf: bytes)
        HTTPBytes.append("\r\n", to: &output)
    }

    /// Appends one chunk from an array.
    public static func chunk(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBytes { chunk($0, into: &output) }
    }

    /// Appends the last chunk with an empty trailer section: `0 CRLF CRLF`.
    public static func lastChunk(into output: inout [UInt8]) {
        HTTPBytes.append("0\r\n\r\n", to: &output)
    }

    /// Appends a whole request, for clients. `Content-Length` is added when there is a body or
    /// the method is one that normally carries one (RFC 9110 §8.6: a user agent SHOULD send
    /// it then). `headers` must include `Host` (RFC 9112 §3.2) and no framing fields.
    public static func request(
        method: HTTPMethod, target: String, headers: HTTPHeaders, body: [UInt8],
        into output: inout [UInt8]
    ) {
        appendRequestLine(method: method, target: target, headers: headers, into: &output)
        let carriesBody = method == .post || method == .put || method == .patch
        if !body.isEmpty || carriesBody {
            HTTPBytes.append("Content-Length: ", to: &output)
            HTTPBytes.appendDecimal(body.count, to: &output)
            HTTPBytes.append("\r\n", to: &output)
        }
        HTTPBytes.append("\r\n", to: &output)
        output.append(contentsOf: body)
    }

    /// Appends the head of a request whose body follows in chunks (`chunk`, then
    /// `lastChunk`), for a body written while the response is read.
    public static func chunkedRequestHead(
        method: HTTPMethod, target: String, headers: HTTPHeaders, into output: inout [UInt8]
    ) {
        appendRequestLine(method: method, target: target, headers: headers, into: &output)
        HTTPBytes.append("Transfer-Encoding: chunked\r\n\r\n", to: &output)
    }

    private static func appendRequestLine(
        method: HTTPMethod, target: String, headers: HTTPHeaders, into output: inout [UInt8]
    ) {
        precondition(
            !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding"),
            "the encoder owns the framing headers")
        precondition(
            !target.isEmpty && target.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F },
            "a request target has no whitespace or control characters (RFC 9112 §3.2)")
        output.append(contentsOf: method.name.utf8)
        output.append(HTTPBytes.space)
        output.append(contentsOf: target.utf8)
        HTTPBytes.append(" HTTP/1.1\r\n", to: &output)
        appendFields(headers, to: &output)
    }

    private static func appendFields(_ headers: HTTPHeaders, to output: inout [UInt8]) {
        for field in headers.fields {
            output.append(contentsOf: headers.storage[field.nameStart..<field.valueStart])
            HTTPBytes.append(": ", to: &output)
            output.append(
                contentsOf: headers.storage[field.valueStart..<field.valueStart + field.valueCount])
            HTTPBytes.append("\r\n", to: &output)
        }
    }
}

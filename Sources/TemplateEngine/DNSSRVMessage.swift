/// A minimal DNS codec for SRV lookups (RFC 1035 §4, RFC 2782): builds one recursive query
/// and decodes the SRV answers of a response, following name compression pointers. Pure:
/// the resolver I/O lives in `SystemTemplateEnvironment`.
enum DNSSRVMessage {
    static let typeSRV: UInt16 = 33
    static let classIN: UInt16 = 1
    /// RFC 1035 §3.1: a name is at most 255 bytes; labels at most 63.
    static let nameBytesMax = 255
    /// Bounds compression-pointer chains so a hostile response cannot loop.
    static let pointerHopsMax = 32

    enum Failure: Error, Equatable {
        case invalidName
        case malformed
        case idMismatch
        case truncated
        case responseCode(Int)
    }

    /// A query for `name` (absolute; a trailing dot is optional) with the RD bit set.
    static func query(name: String, id: UInt16) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = [
            UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
        ]
        try appendName(name, to: &bytes)
        bytes += [UInt8(typeSRV >> 8), UInt8(typeSRV & 0xff), 0, UInt8(classIN)]
        return bytes
    }

    private static func appendName(_ name: String, to bytes: inout [UInt8]) throws(Failure) {
        var trimmed = Substring(name)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        var length = 1
        for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            let labelBytes = Array(label.utf8)
            guard !labelBytes.isEmpty, labelBytes.count <= 63 else { throw .invalidName }
            length += labelBytes.count + 1
            guard length <= nameBytesMax else { throw .invalidName }
            bytes.append(UInt8(labelBytes.count))
            bytes += labelBytes
        }
        bytes.append(0)
    }

    /// The SRV records in the answer section of `response` to query `id`.
    static func decodeAnswers(
        _ response: [UInt8], id: UInt16
    ) throws(Failure)
        -> [TemplateSRVRecord]
    {
        guard response.count >= 12 else { throw .malformed }
        guard UInt16(response[0]) << 8 | UInt16(response[1]) == id else { throw .idMismatch }
        guard response[2] & 0x80 != 0 else { throw .malformed }
        guard response[2] & 0x02 == 0 else { throw .truncated }
        let code = Int(response[3] & 0x0f)
        guard code == 0 else { throw .responseCode(code) }
        let questions = Int(try u16(response, 4))
        let answers = Int(try u16(response, 6))
        var offset = 12
        for _ in 0..<questions {
            offset = try skipName(response, offset) + 4
        }
        var records: [TemplateSRVRecord] = []
        for _ in 0..<answers {
            offset = try skipName(response, offset)
            let type = try u16(response, offset)
            let rdLength = Int(try u16(response, offset + 8))
            let rdStart = offset + 10
            guard rdStart + rdLength <= response.count else { throw .malformed }
            if type == typeSRV {
                guard rdLength >= 7 else { throw .malformed }
                let target = try readName(response, rdStart + 6)
                records.append(
                    TemplateSRVRecord(
                        target: target, port: Int(try u16(response, rdStart + 4)),
                        priority: Int(try u16(response, rdStart)),
                        weight: Int(try u16(response, rdStart + 2))))
            }
            offset = rdStart + rdLength
        }
        return records
    }

    private static func u16(_ bytes: [UInt8], _ offset: Int) throws(Failure) -> UInt16 {
        guard offset >= 0, offset + 2 <= bytes.count else { throw .malformed }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    /// The offset after the name at `offset` (a pointer ends the name).
    private static func skipName(_ bytes: [UInt8], _ start: Int) throws(Failure) -> Int {
        var offset = start
        while true {
            guard offset < bytes.count else { throw .malformed }
            let length = Int(bytes[offset])
            if length & 0xc0 == 0xc0 { return offset + 2 }
            guard length & 0xc0 == 0 else { throw .malformed }
            offset += 1 + length
            if length == 0 { return offset }
        }
    }

    /// The dotted name at `offset`, with a trailing dot like Go's `net.SRV.Target`.
    static func readName(_ bytes: [UInt8], _ start: Int) throws(Failure) -> String {
        var labels: [String] = []
        var offset = start
        var hops = 0
        var total = 0
        while true {
            guard offset < bytes.count else { throw .malformed }
            let length = Int(bytes[offset])
            if length & 0xc0 == 0xc0 {
                hops += 1
                guard hops <= pointerHopsMax else { throw .malformed }
                offset = Int(try u16(bytes, offset) & 0x3fff)
                continue
            }
            guard length & 0xc0 == 0 else { throw .malformed }
            if length == 0 { break }
            guard offset + 1 + length <= bytes.count else { throw .malformed }
            total += length + 1
            guard total <= nameBytesMax else { throw .malformed }
            labels.append(String(decoding: bytes[(offset + 1)...(offset + length)], as: UTF8.self))
            offset += 1 + length
        }
        return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }
}

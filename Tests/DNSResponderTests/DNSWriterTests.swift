import Testing

@testable import DNSResponder

/// Name compression as the writer does it: targets are offsets into the bytes written,
/// compared as wire bytes, case-insensitively (RFC 1035 §4.1.4, RFC 4343).
@Suite("DNS writer name compression")
struct DNSWriterTests {
    /// A writer holding a 12-byte header placeholder, like a message being encoded.
    private func writerAfterHeader() -> DNSWriter {
        var writer = DNSWriter(capacity: 512)
        for _ in 0..<DNSHeader.byteCount { writer.writeUInt8(0) }
        return writer
    }

    /// Reads back the name at `offset` through the decoder (pointers followed).
    private func name(in bytes: [UInt8], at offset: Int) throws -> DNSName {
        try bytes.withUnsafeBytes { raw in
            var reader = DNSReader(raw, offset: offset)
            return try reader.readName()
        }
    }

    private func uncompressed(_ text: String) -> [UInt8] {
        var wire = Wire()
        wire.name(text)
        return wire.bytes
    }

    @Test("a name equal to the question becomes a pointer to offset 12")
    func pointerToQuestion() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("web.service.roost"), compress: true)
        let second = writer.count
        writer.writeName(.fromLiteral("web.service.roost"), compress: true)
        #expect(Array(writer.bytes[second...]) == [0xC0, 12])
    }

    @Test("the match is case-insensitive and the first spelling stays on the wire")
    func caseInsensitive() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("wEb.SeRvIcE.RoOsT"), compress: true)
        let second = writer.count
        writer.writeName(.fromLiteral("WEB.service.roost"), compress: true)
        #expect(Array(writer.bytes[second...]) == [0xC0, 12])
        #expect(try name(in: writer.bytes, at: second).labels[0] == Array("wEb".utf8))
    }

    @Test("every suffix shared with an earlier name is found: 0 to all 4 labels")
    func everySplit() throws {
        let earlier = ["a1", "bb", "ccc", "dddd"]
        for shared in 0...earlier.count {
            var writer = writerAfterHeader()
            writer.writeName(.fromLiteral(earlier.joined(separator: ".")), compress: true)
            let later = ["X", "yY"] + earlier.suffix(shared).map { $0.uppercased() }
            let text = later.joined(separator: ".")
            let start = writer.count
            writer.writeName(.fromLiteral(text), compress: true)
            let written = Array(writer.bytes[start...])
            if shared == 0 {
                #expect(written == uncompressed(text), "shared \(shared)")
            } else {
                // Labels X and yY, then a pointer to where the shared suffix starts.
                let suffixOffset =
                    12
                    + earlier.prefix(earlier.count - shared)
                    .reduce(0) { $0 + 1 + $1.utf8.count }
                let expected = uncompressed("X.yY").dropLast() + [0xC0, UInt8(suffixOffset)]
                #expect(written == Array(expected), "shared \(shared)")
            }
            #expect(try name(in: writer.bytes, at: start) == .fromLiteral(text))
        }
    }

    @Test("a name that is a suffix of an earlier one points into it; the reverse points back")
    func suffixOfAnother() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("web.service.roost"), compress: true)
        let suffix = writer.count
        writer.writeName(.fromLiteral("service.roost"), compress: true)
        #expect(Array(writer.bytes[suffix...]) == [0xC0, 16])
        let longer = writer.count
        writer.writeName(.fromLiteral("api.web.service.roost"), compress: true)
        #expect(Array(writer.bytes[longer...]) == [3] + Array("api".utf8) + [0xC0, 12])
    }

    @Test("labels match whole: \"oost\" is not \"roost\", \"b\" is not \"ab\"")
    func wholeLabels() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("ab.roost"), compress: true)
        let first = writer.count
        writer.writeName(.fromLiteral("oost"), compress: true)
        #expect(Array(writer.bytes[first...]) == uncompressed("oost"))
        let second = writer.count
        writer.writeName(.fromLiteral("b.roost"), compress: true)
        #expect(Array(writer.bytes[second...]) == [1, UInt8(ascii: "b"), 0xC0, 15])
    }

    @Test("a target that itself ends in a pointer is matched through the pointer")
    func matchThroughPointer() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("web.service.roost"), compress: true)
        let x = writer.count  // "x" then a pointer to service.roost at 16
        writer.writeName(.fromLiteral("x.service.roost"), compress: true)
        let again = writer.count
        writer.writeName(.fromLiteral("X.SERVICE.ROOST"), compress: true)
        #expect(Array(writer.bytes[again...]) == [0xC0, UInt8(x)])
        let deeper = writer.count
        writer.writeName(.fromLiteral("y.x.service.roost"), compress: true)
        #expect(Array(writer.bytes[deeper...]) == [1, UInt8(ascii: "y"), 0xC0, UInt8(x)])
        #expect(try name(in: writer.bytes, at: deeper) == .fromLiteral("y.x.service.roost"))
    }

    @Test("an uncompressed name (SRV target) is written whole and later names point into it")
    func uncompressedStillTarget() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("web.service.roost"), compress: true)
        let target = writer.count
        writer.writeName(.fromLiteral("alpha.node.roost"), compress: false)
        #expect(Array(writer.bytes[target...]) == uncompressed("alpha.node.roost"))
        let owner = writer.count
        writer.writeName(.fromLiteral("alpha.node.roost"), compress: true)
        #expect(Array(writer.bytes[owner...]) == [0xC0, UInt8(target)])
        // Written whole again: no new targets, so the first one stays the match.
        writer.writeName(.fromLiteral("ALPHA.node.roost"), compress: false)
        let last = writer.count
        writer.writeName(.fromLiteral("alpha.node.roost"), compress: true)
        #expect(Array(writer.bytes[last...]) == [0xC0, UInt8(target)])
    }

    @Test("rolling back to a mark forgets the targets written after it")
    func rollBack() throws {
        var writer = writerAfterHeader()
        writer.writeName(.fromLiteral("roost"), compress: true)
        let mark = writer.mark
        writer.writeName(.fromLiteral("a.b.roost"), compress: true)
        writer.writeName(.fromLiteral("c.b.roost"), compress: true)
        writer.rollBack(to: mark)
        #expect(writer.count == mark.byteCount)
        let start = writer.count
        writer.writeName(.fromLiteral("a.b.roost"), compress: true)
        #expect(Array(writer.bytes[start...]) == [1, 97, 1, 98, 0xC0, 12])
        #expect(try name(in: writer.bytes, at: start) == .fromLiteral("a.b.roost"))
    }

    @Test("a name starting at offset 0x3FFF is a target; one at 0x4000 is not (14-bit pointers)")
    func pointerOffsetLimit() throws {
        for (start, isTarget) in [
            (DNSLimits.compressionOffsetMax, true),
            (DNSLimits.compressionOffsetMax + 1, false),
        ] {
            var writer = DNSWriter(capacity: start + 64)
            while writer.count < start { writer.writeUInt8(0) }
            writer.writeName(.fromLiteral("far.roost"), compress: true)
            let next = writer.count
            writer.writeName(.fromLiteral("far.roost"), compress: true)
            let expected =
                isTarget
                ? [0xC0 | UInt8(start >> 8), UInt8(start & 0xFF)]
                : uncompressed("far.roost")
            #expect(Array(writer.bytes[next...]) == expected, "start \(start)")
        }
    }

    @Test("hundreds of distinct names: each later copy finds its own earlier target")
    func manyTargets() throws {
        var writer = writerAfterHeader()
        var offsets: [Int] = []
        for index in 0..<300 {
            offsets.append(writer.count)
            writer.writeName(.fromLiteral("n\(index).node.dc1.roost"), compress: false)
        }
        for index in stride(from: 299, through: 0, by: -7) {
            let start = writer.count
            writer.writeName(.fromLiteral("N\(index).NODE.dc1.roost"), compress: true)
            let offset = offsets[index]
            #expect(
                Array(writer.bytes[start...])
                    == [0xC0 | UInt8(offset >> 8), UInt8(offset & 0xFF)], "n\(index)")
        }
    }
}

import Testing

@testable import TemplateEngine

@Suite("path.Match, Go paths, time layouts and the DNS codec")
struct SupportTests {
    struct MatchCase: CustomTestStringConvertible, Sendable {
        var pattern: String
        var name: String
        var matches: Bool?  // nil: bad pattern
        var testDescription: String { "\(pattern) ~ \(name)" }
    }

    // Go's path/match_test.go cases (a representative subset).
    static let matchCases: [MatchCase] = [
        MatchCase(pattern: "abc", name: "abc", matches: true),
        MatchCase(pattern: "*", name: "abc", matches: true),
        MatchCase(pattern: "*c", name: "abc", matches: true),
        MatchCase(pattern: "a*", name: "a", matches: true),
        MatchCase(pattern: "a*", name: "abc", matches: true),
        MatchCase(pattern: "a*", name: "ab/c", matches: false),
        MatchCase(pattern: "a*/b", name: "abc/b", matches: true),
        MatchCase(pattern: "a*/b", name: "a/c/b", matches: false),
        MatchCase(pattern: "a*b*c*d*e*/f", name: "axbxcxdxe/f", matches: true),
        MatchCase(pattern: "a*b*c*d*e*/f", name: "axbxcxdxexxx/f", matches: true),
        MatchCase(pattern: "a*b*c*d*e*/f", name: "axbxcxdxe/xxx/f", matches: false),
        MatchCase(pattern: "a*b?c*x", name: "abxbbxdbxebxczzx", matches: true),
        MatchCase(pattern: "a*b?c*x", name: "abxbbxdbxebxczzy", matches: false),
        MatchCase(pattern: "ab[c]", name: "abc", matches: true),
        MatchCase(pattern: "ab[b-d]", name: "abc", matches: true),
        MatchCase(pattern: "ab[e-g]", name: "abc", matches: false),
        MatchCase(pattern: "ab[^c]", name: "abc", matches: false),
        MatchCase(pattern: "ab[^b-d]", name: "abc", matches: false),
        MatchCase(pattern: "ab[^e-g]", name: "abc", matches: true),
        MatchCase(pattern: "a\\*b", name: "a*b", matches: true),
        MatchCase(pattern: "a\\*b", name: "ab", matches: false),
        MatchCase(pattern: "a?b", name: "a☺b", matches: true),
        MatchCase(pattern: "a[^a]b", name: "a☺b", matches: true),
        MatchCase(pattern: "a???b", name: "a☺b", matches: false),
        MatchCase(pattern: "a[^a][^a][^a]b", name: "a☺b", matches: false),
        MatchCase(pattern: "[a-ζ]*", name: "α", matches: true),
        MatchCase(pattern: "*[a-ζ]", name: "A", matches: false),
        MatchCase(pattern: "a?b", name: "a/b", matches: false),
        MatchCase(pattern: "a*b", name: "a/b", matches: false),
        MatchCase(pattern: "[\\]a]", name: "]", matches: true),
        MatchCase(pattern: "[\\-]", name: "-", matches: true),
        MatchCase(pattern: "[x\\-]", name: "x", matches: true),
        MatchCase(pattern: "[x\\-]", name: "z", matches: false),
        MatchCase(pattern: "[\\-x]", name: "a", matches: false),
        MatchCase(pattern: "[]a]", name: "]", matches: nil),
        MatchCase(pattern: "[-]", name: "-", matches: nil),
        MatchCase(pattern: "[x-]", name: "x", matches: nil),
        MatchCase(pattern: "[a-b-c]", name: "a", matches: nil),
        MatchCase(pattern: "[", name: "a", matches: nil),
        MatchCase(pattern: "[^", name: "a", matches: nil),
        MatchCase(pattern: "a[", name: "a", matches: nil),
        MatchCase(pattern: "*x", name: "xxx", matches: true),
    ]

    @Test("GoPath.match follows Go's path.Match", arguments: matchCases)
    func match(_ testCase: MatchCase) {
        let result = try? GoPath.match(testCase.pattern, testCase.name)
        #expect(result == testCase.matches)
    }

    @Test("GoPath.clean, dir and base follow Go's path package")
    func paths() {
        #expect(GoPath.clean("") == ".")
        #expect(GoPath.clean("a//b/./c/..") == "a/b")
        #expect(GoPath.clean("/../a") == "/a")
        #expect(GoPath.clean("../../a") == "../../a")
        #expect(GoPath.dir("/a/b/") == "/a/b")
        #expect(GoPath.dir("") == ".")
        #expect(GoPath.base("a/b//") == "b")
        #expect(GoPath.base("///") == "/")
    }

    @Test("time layouts cover Go's reference fields")
    func timeLayouts() {
        let time = TemplateTime(
            unixSeconds: 1_136_239_445, nanoseconds: 120_000_000, utcOffsetSeconds: -7 * 3600,
            zoneName: "MST")
        #expect(time.format("Mon Jan 2 15:04:05 MST 2006") == "Mon Jan 2 15:04:05 MST 2006")
        #expect(
            time.format("January 02 06 3 03 4 5 PM pm .0 .00 ,999")
                == "January 02 06 3 03 4 5 PM pm .1 .12 ,12")
        #expect(time.format("-07:00:00 -070000 -07 Z07") == "-07:00:00 -070000 -07 -07")
        let unnamed = TemplateTime(
            unixSeconds: 0, nanoseconds: 0, utcOffsetSeconds: 5 * 3600 + 1800, zoneName: "")
        #expect(unnamed.format("MST __2 002 _2") == "+0530   1 001  1")
        let negativeYear = TemplateTime(
            unixSeconds: -62_135_596_800 - 86_400, nanoseconds: 0, utcOffsetSeconds: 0,
            zoneName: "UTC")
        #expect(negativeYear.format("2006-01-02") == "0000-12-31")
    }

    @Test("an SRV query encodes RD, QTYPE 33 and the labels (RFC 1035 §4.1)")
    func dnsQuery() throws {
        let query = try DNSSRVMessage.query(name: "_etcd._tcp.example.com.", id: 0xbeef)
        #expect(Array(query.prefix(12)) == [0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])
        #expect(
            Array(query[12...]) == [5] + Array("_etcd".utf8) + [4] + Array("_tcp".utf8)
                + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0, 33, 0, 1])
        #expect(throws: DNSSRVMessage.Failure.invalidName) {
            try DNSSRVMessage.query(name: "a..b", id: 1)
        }
    }

    static func response(id: UInt16, flags: [UInt8] = [0x81, 0x80]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff)] + flags + [0, 1, 0, 2, 0, 0, 0, 0]
        // Question at offset 12: _x._tcp.ex.com SRV IN
        bytes +=
            [2] + Array("_x".utf8) + [4] + Array("_tcp".utf8) + [2] + Array("ex".utf8)
            + [3] + Array("com".utf8) + [0, 0, 33, 0, 1]
        // Answer 1: name pointer to 12, SRV 10 5 2379 target "a" + pointer to "ex.com" (offset 20)
        bytes += [0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60, 0, 10, 0, 10, 0, 5, 0x09, 0x4b]
        bytes += [1, UInt8(ascii: "a"), 0xc0, 20]
        // Answer 2: a CNAME-typed record is skipped.
        bytes += [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 20]
        return bytes
    }

    @Test("SRV answers decode with compressed names; other types are skipped")
    func dnsDecode() throws {
        let records = try DNSSRVMessage.decodeAnswers(Self.response(id: 7), id: 7)
        #expect(
            records == [TemplateSRVRecord(target: "a.ex.com.", port: 2379, priority: 10, weight: 5)]
        )
    }

    @Test("a response with another id, TC set, an error code or cut short is rejected")
    func dnsRejects() {
        #expect(throws: DNSSRVMessage.Failure.idMismatch) {
            try DNSSRVMessage.decodeAnswers(Self.response(id: 7), id: 8)
        }
        #expect(throws: DNSSRVMessage.Failure.truncated) {
            try DNSSRVMessage.decodeAnswers(Self.response(id: 7, flags: [0x83, 0x80]), id: 7)
        }
        #expect(throws: DNSSRVMessage.Failure.responseCode(3)) {
            try DNSSRVMessage.decodeAnswers(Self.response(id: 7, flags: [0x81, 0x83]), id: 7)
        }
        let full = Self.response(id: 7)
        for length in 0..<(full.count - 14) {
            #expect(throws: DNSSRVMessage.Failure.self) {
                try DNSSRVMessage.decodeAnswers(Array(full.prefix(length)), id: 7)
            }
        }
    }

    @Test("a compression loop is rejected instead of followed forever")
    func dnsLoop() {
        #expect(throws: DNSSRVMessage.Failure.malformed) {
            try DNSSRVMessage.readName([0xc0, 0x00], 0)
        }
    }

    @Test("the system environment reads env vars, the clock, the resolver and the file system")
    func system() {
        let environment = SystemTemplateEnvironment()
        #expect(environment.environmentVariable(named: "PATH") != nil)
        #expect(environment.environmentVariable(named: "ROOST_SURELY_UNSET_VARIABLE") == nil)
        #expect(environment.now().unixSeconds > 1_700_000_000)
        #expect(environment.fileExists(atPath: "/"))
        #expect(!environment.fileExists(atPath: "/surely/not/here"))
        #expect(environment.lookupIP(host: "localhost")?.contains("127.0.0.1") == true)
        #expect(environment.lookupIP(host: "surely-not-a-host.invalid") == nil)
    }
}

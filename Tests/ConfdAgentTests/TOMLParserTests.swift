import Testing

@testable import ConfdAgent

@Suite("TOML parser")
struct TOMLParserTests {
    private func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try TOMLParser.parse(text)
    }

    private func value(_ text: String) throws -> TOMLValue? {
        try parse("v = " + text)["v"]
    }

    @Test("the documented confd resource parses into a [template] table (confd docs)")
    func confdExample() throws {
        let text = """
            [template]
            src = "nginx.conf.tmpl"
            dest = "/etc/nginx/nginx.conf"
            uid = 0
            gid = 0
            mode = "0644"
            keys = [
              "/nginx",
            ]
            check_cmd = "/usr/sbin/nginx -t -c {{.src}}"
            reload_cmd = "/usr/sbin/service nginx restart"
            """
        let root = try parse(text)
        guard case .table(let template)? = root["template"] else {
            Issue.record("no template table")
            return
        }
        #expect(template.keys == [
            "src", "dest", "uid", "gid", "mode", "keys", "check_cmd", "reload_cmd",
        ])
        #expect(template["keys"] == .array([.string("/nginx")]))
        #expect(template["uid"] == .integer(0))
    }

    @Test(
        "scalars decode per TOML v1.0 (toml.io integer, float, boolean, string)",
        arguments: [
            ("42", TOMLValue.integer(42)), ("+17", .integer(17)), ("-5", .integer(-5)),
            ("0", .integer(0)), ("1_000_000", .integer(1_000_000)), ("0o755", .integer(0o755)),
            ("0xDEAD_beef", .integer(0xDEAD_BEEF)), ("0b1101", .integer(13)),
            ("9223372036854775807", .integer(Int64.max)),
            ("-9223372036854775808", .integer(Int64.min)),
            ("3.25", .float(3.25)), ("-0.5", .float(-0.5)), ("1e3", .float(1000)),
            ("6.5E-1", .float(0.65)), ("1_0.2_5", .float(10.25)), ("inf", .float(.infinity)),
            ("-inf", .float(-.infinity)), ("true", .boolean(true)), ("false", .boolean(false)),
            ("\"a\\tb\\n\\\"q\\\" \\\\ \\u00e9 \\U0001F600\"", .string("a\tb\n\"q\" \\ é 😀")),
            ("'C:\\path\\{{x}}'", .string("C:\\path\\{{x}}")), ("\"\"", .string("")),
        ])
    func scalars(text: String, expected: TOMLValue) throws {
        #expect(try value(text) == expected)
    }

    @Test("nan parses as a float NaN (toml.io float)")
    func notANumber() throws {
        guard case .float(let number)? = try value("nan") else {
            Issue.record("not a float")
            return
        }
        #expect(number.isNaN)
    }

    @Test("multi-line basic strings trim the first newline and line-ending backslashes")
    func multilineBasic() throws {
        #expect(try value("\"\"\"\nRoses\nViolets\"\"\"") == .string("Roses\nViolets"))
        #expect(try value("\"\"\"\nThe quick \\\n    brown \\\n\n  fox.\"\"\"")
            == .string("The quick brown fox."))
        #expect(try value("\"\"\"two \"\"quotes\"\" \"\"\"\"\"")
            == .string("two \"\"quotes\"\" \"\""))
        #expect(try value("\"\"\"tab\\tand\\u0041\"\"\"") == .string("tab\tandA"))
    }

    @Test("multi-line literal strings keep backslashes and newlines")
    func multilineLiteral() throws {
        #expect(try value("'''\nfirst\n  \\second\n'''") == .string("first\n  \\second\n"))
        #expect(try value("''''quoted'''''") == .string("'quoted''"))
    }

    @Test("arrays may span lines, hold comments, mix types and end with a comma")
    func arrays() throws {
        let text = "[\n  1, # one\n  \"two\",\n  [3.5, true],\n  { k = 'v' },\n]"
        var inner = TOMLTable()
        inner.set("k", .string("v"))
        #expect(try value(text) == .array([
            .integer(1), .string("two"), .array([.float(3.5), .boolean(true)]), .table(inner),
        ]))
        #expect(try value("[]") == .array([]))
    }

    @Test("dotted keys, quoted keys and headers build nested tables (toml.io keys/table)")
    func tablesAndKeys() throws {
        let root = try parse("""
            a.b = 1
            "quoted key" = 2
            'lit'.x = 3
            [server . "alpha"]
            ip = "10.0.0.1"
            [server.beta]
            port.number = 80
            """)
        #expect(root.keys == ["a", "quoted key", "lit", "server"])
        guard case .table(let server)? = root["server"], case .table(let beta)? = server["beta"],
            case .table(let port)? = beta["port"], case .table(let alpha)? = server["alpha"]
        else {
            Issue.record("tables missing")
            return
        }
        #expect(port["number"] == .integer(80))
        #expect(alpha["ip"] == .string("10.0.0.1"))
    }

    @Test("an implicit parent table may be defined later, once (toml.io table)")
    func implicitThenExplicit() throws {
        let root = try parse("[x.y.z]\na = 1\n[x]\nb = 2\n")
        guard case .table(let x)? = root["x"] else {
            Issue.record("x missing")
            return
        }
        #expect(x["b"] == .integer(2))
        #expect(x.keys == ["y", "b"])
    }

    @Test("arrays of tables append one table per header (toml.io array of tables)")
    func arraysOfTables() throws {
        let root = try parse("[[fruit]]\nname = 'apple'\n[fruit.physical]\ncolor = 'red'\n"
            + "[[fruit]]\nname = 'banana'\n")
        guard case .array(let fruits)? = root["fruit"], fruits.count == 2,
            case .table(let apple) = fruits[0], case .table(let physical)? = apple["physical"]
        else {
            Issue.record("fruit array wrong: \(String(describing: root["fruit"]))")
            return
        }
        #expect(physical["color"] == .string("red"))
    }

    @Test("comments, blank lines, CRLF and a byte-order mark are accepted")
    func trivia() throws {
        let root = try TOMLParser.parse([0xEF, 0xBB, 0xBF] + Array("# c\r\n\r\nk = 1 # x\r\n".utf8))
        #expect(root["k"] == .integer(1))
    }
}

@Suite("TOML parser errors")
struct TOMLParserErrorTests {
    @Test(
        "malformed documents fail with the line and column of the fault",
        arguments: [
            ("k = ", 1, 5, "expected a value"),
            ("a = 1\nb = \"open", 2, 5, "unterminated string"),
            ("a = 1\n\n[t\nx = 1", 3, 3, "expected ']'"),
            ("a = 1\na = 2", 2, 1, "defined twice"),
            ("[t]\n[t]", 2, 1, "defined twice"),
            ("a.b = 1\n[a]", 2, 1, "dotted keys"),
            ("[a.b]\n[a]\nb.c = 1", 3, 1, "cannot extend"),
            ("x = 1 2", 1, 7, "expected a newline"),
            ("x = 012", 1, 5, "invalid number"),
            ("x = 1__0", 1, 5, "invalid number"),
            ("x = 0x", 1, 5, "invalid number"),
            ("x = 1.", 1, 5, "invalid number"),
            ("x = .5", 1, 5, "expected a value"),
            ("x = 9223372036854775808", 1, 5, "does not fit"),
            ("x = 1979-05-27T07:32:00Z", 1, 5, "date-time"),
            ("x = 07:32:00", 1, 5, "date-time"),
            ("x = \"\\q\"", 1, 6, "invalid escape"),
            ("x = \"\\uD800\"", 1, 6, "invalid unicode escape"),
            ("x = [1 2]", 1, 8, "expected ',' or ']'"),
            ("x = [1,,]", 1, 8, "expected a value"),
            ("x = {a = 1,}", 1, 12, "cannot end with a comma"),
            ("x = {a = 1\n}", 1, 11, "one line"),
            ("x = {a = 1, a = 2}", 1, 13, "defined twice"),
            ("x = {a = 1}\nx.b = 2", 2, 1, "already holds a value"),
            ("x = [1]\n[[x]]", 2, 1, "static array"),
            ("x = truex", 1, 9, "unexpected 'x'"),
            ("x = yes", 1, 5, "expected a value"),
            ("= 1", 1, 1, "expected a key"),
            ("x = 'a\nb'", 1, 7, "newline"),
            ("x = 1\r", 1, 6, "carriage return"),
            ("x = \"\"\"a\"\"\"\"\"\"", 1, 9, "too many quotes"),
            ("# é\u{7}", 1, 4, "control character"),
            ("x = \"\"\"never closed\n", 1, 5, "unterminated multi-line"),
        ])
    func located(text: String, line: Int, column: Int, fragment: String) {
        do {
            _ = try TOMLParser.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test("invalid UTF-8 is rejected at its byte (TOML documents are UTF-8)")
    func invalidUTF8() {
        #expect(throws: TOMLError(line: 2, column: 6, message: "invalid UTF-8")) {
            try TOMLParser.parse(Array("a = 1\nb = '".utf8) + [0xC3, 0x28, 0x27])
        }
    }

    @Test("a document of documentBytesMax parses; one byte more is refused")
    func documentLimit() throws {
        let limit = TOMLParser.documentBytesMax
        let line = Array("# padding\n".utf8)
        var bytes: [UInt8] = []
        while bytes.count + line.count <= limit { bytes += line }
        bytes += [UInt8](repeating: UInt8(ascii: "\n"), count: limit - bytes.count)
        #expect(bytes.count == limit)
        _ = try TOMLParser.parse(bytes)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(bytes + [UInt8(ascii: "\n")]) }
    }

    @Test("nesting of nestingDepthMax parses; one level more is refused")
    func nestingLimit() throws {
        let depth = TOMLParser.nestingDepthMax
        func nested(_ levels: Int) -> String {
            "x = " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        }
        _ = try TOMLParser.parse(nested(depth))
        #expect(throws: TOMLError.self) { try TOMLParser.parse(nested(depth + 1)) }
        let inline = "x = " + String(repeating: "{a = ", count: depth + 1) + "1"
            + String(repeating: "}", count: depth + 1)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(inline) }
    }
}

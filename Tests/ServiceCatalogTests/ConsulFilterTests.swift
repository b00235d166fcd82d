import Platform
import Testing

@testable import ServiceCatalog

/// Elements shaped like Consul's answers (reference/consul.md): one /v1/health/service
/// entry, one /v1/catalog/service row and one /v1/agent/services value.
private enum Shapes {
    static let serfCheck: JSONValue = [
        "Node": "n1", "CheckID": "serfHealth", "Name": "Serf Health Status",
        "Status": "passing", "ServiceID": "", "ServiceName": "", "ServiceTags": [],
    ]

    static func serviceCheck(_ status: String) -> JSONValue {
        [
            "Node": "n1", "CheckID": "service:web-1", "Name": "Service 'web' check",
            "Status": .string(status), "ServiceID": "web-1", "ServiceName": "web",
            "ServiceTags": ["primary", "v1"],
        ]
    }

    static func healthEntry(checks: [JSONValue]) -> JSONValue {
        [
            "Node": [
                "ID": "40e4a748-2192-161a-0510-9bf59fe950b5", "Node": "n1",
                "Address": "10.0.0.1", "Datacenter": "dc1",
                "TaggedAddresses": ["lan": "10.0.0.1", "wan": "1.2.3.4"],
                "Meta": ["rack": "a"], "CreateIndex": 5, "ModifyIndex": 6,
            ],
            "Service": [
                "ID": "web-1", "Service": "web", "Tags": ["primary", "v1"],
                "Address": "172.17.0.3",
                "Meta": [
                    "version": "1.2", "a.b": "dotted", "note": "tab\there", "path": "C:\\dir",
                    "city": "caf\u{e9}",
                ],
                "Port": 5000, "Weights": ["Passing": 10, "Warning": 1],
                "EnableTagOverride": false, "CreateIndex": 7, "ModifyIndex": 7,
            ],
            "Checks": .array(checks),
        ]
    }

    /// web-1 on n1: serfHealth passing, its service check critical.
    static let health = healthEntry(checks: [serfCheck, serviceCheck("critical")])
    static let allPassing = healthEntry(checks: [serfCheck, serviceCheck("passing")])
    static let noChecks = healthEntry(checks: [])

    static let catalogRow: JSONValue = [
        "ID": "40e4a748-2192-161a-0510-9bf59fe950b5", "Node": "n1", "Address": "10.0.0.1",
        "Datacenter": "dc1", "TaggedAddresses": ["lan": "10.0.0.1"],
        "NodeMeta": ["rack": "a"], "ServiceID": "web-1", "ServiceName": "web",
        "ServiceTags": ["primary", "v1"], "ServiceAddress": "172.17.0.3",
        "ServiceMeta": ["version": "1.2"], "ServicePort": 5000,
        "ServiceEnableTagOverride": false, "CreateIndex": 7, "ModifyIndex": 7,
    ]

    static let agentService: JSONValue = [
        "ID": "redis", "Service": "redis", "Tags": [], "Meta": [:], "Port": 8000,
        "Address": "", "EnableTagOverride": false, "Datacenter": "dc1",
        "Weights": ["Passing": 10, "Warning": 1],
    ]

    /// The fields of the /v1/health/service element the schema tests use (Consul's
    /// `structs.CheckServiceNode`, abridged).
    static let healthSchema = ConsulFilterSchema.structure([
        "Node": .structure([
            "Node": .string, "Address": .string, "Meta": .map(.string),
            "CreateIndex": .uint,
        ]),
        "Service": .structure([
            "ID": .string, "Service": .string, "Tags": .list(.string), "Address": .string,
            "Meta": .map(.string), "Port": .int, "EnableTagOverride": .bool,
            "Weights": .structure(["Passing": .int, "Warning": .int]),
        ]),
        "Checks": .list(.structure(["CheckID": .string, "Status": .string])),
    ])
}

private func filter(_ text: String, _ element: JSONValue = Shapes.health) -> Bool {
    do {
        return try ConsulFilter(text).matches(element)
    } catch {
        Issue.record("\(text) did not parse: \(error.message)")
        return false
    }
}

/// The error text without go-bexpr's prefix; nil when the expression is accepted.
private func failure(_ text: String, schema: ConsulFilterSchema? = nil) -> String? {
    do {
        _ = try ConsulFilter(text, schema: schema)
        return nil
    } catch {
        guard error.message.hasPrefix(ConsulFilterError.prefix) else { return error.message }
        return String(error.message.dropFirst(ConsulFilterError.prefix.count))
    }
}

@Suite("Consul ?filter expressions (go-bexpr)")
struct ConsulFilterTests {
    @Test("== compares a string field with an unquoted, quoted or raw value (go-bexpr Value)")
    func equality() {
        #expect(filter("Service.Service == web"))
        #expect(filter("Service.Service == \"web\""))
        #expect(filter("Service.Service == `web`"))
        #expect(!filter("Service.Service == db"))
        #expect(!filter("Service.Service == We"))
        #expect(filter("Service.Service != db"))
        #expect(!filter("Service.Service != web"))
        #expect(filter("Node.Node==n1"))
    }

    @Test("\"primary\" in Service.Tags matches an element of the tag list (go-bexpr in)")
    func inList() {
        #expect(filter("\"primary\" in Service.Tags"))
        #expect(filter("primary in Service.Tags"))
        #expect(!filter("prim in Service.Tags"))
        #expect(filter("canary not in Service.Tags"))
        #expect(!filter("v1 not in Service.Tags"))
    }

    @Test("contains is in with the operands swapped (go-bexpr MatchContains)")
    func containsOperator() {
        #expect(filter("Service.Tags contains primary"))
        #expect(!filter("Service.Tags contains canary"))
        #expect(filter("Service.Tags not contains canary"))
        #expect(!filter("Service.Tags not contains v1"))
    }

    @Test("in on a string field is a substring test (go-bexpr strings.Contains)")
    func inString() {
        #expect(filter("eb in Service.Service"))
        #expect(filter("Service.Address contains \"17.0\""))
        #expect(!filter("Service.Address contains \"10.0\""))
        #expect(filter("\"\" in Service.Service"))
    }

    @Test("in on a map tests its keys, not its values (go-bexpr MapIndex)")
    func inMap() {
        #expect(filter("version in Service.Meta"))
        #expect(!filter("\"1.2\" in Service.Meta"))
        #expect(filter("\"a.b\" in Service.Meta"))
        #expect(filter("wan in Node.TaggedAddresses"))
    }

    @Test("a bracketed index selects a map key holding dots or spaces (go-bexpr IndexExpression)")
    func bracketedKeys() {
        #expect(filter("Service.Meta[\"a.b\"] == dotted"))
        #expect(filter("Service.Meta[ `a.b` ] == dotted"))
        #expect(filter("Service[\"Meta\"][\"version\"] == \"1.2\""))
        #expect(!filter("Service.Meta.a == dotted"))
    }

    @Test("a missing map key fails ==, in and is not empty and satisfies the rest (go-bexpr)")
    func missingKey() {
        #expect(!filter("Service.Meta.env == prod"))
        #expect(filter("Service.Meta.env != prod"))
        #expect(!filter("Service.Meta.env contains prod"))
        #expect(filter("Service.Meta.env not contains prod"))
        #expect(filter("Service.Meta.env is empty"))
        #expect(!filter("Service.Meta.env is not empty"))
        // bexpr's default branch answers true for matches on a missing key too.
        #expect(filter("Service.Meta.env matches \"^prod$\""))
        #expect(filter("Service.Meta.env not matches \"^prod$\""))
    }

    @Test("is empty tests the length of lists, maps and strings (go-bexpr Len() == 0)")
    func emptiness() {
        #expect(filter("Service.Tags is not empty"))
        #expect(!filter("Service.Tags is empty"))
        #expect(filter("Tags is empty", Shapes.agentService))
        #expect(filter("Meta is empty", Shapes.agentService))
        #expect(filter("Address is empty", Shapes.agentService))
        #expect(filter("Checks is empty", Shapes.noChecks))
        #expect(filter("Checks is not empty"))
    }

    @Test("a selector through an array of objects matches when ANY element does (go-bexpr)")
    func anyElement() {
        #expect(filter("Checks.Status == critical"))
        #expect(filter("Checks.Status == passing"))
        #expect(!filter("Checks.Status == warning"))
        #expect(filter("Checks.Status != passing"))
        #expect(!filter("Checks.Status != passing", Shapes.allPassing))
        #expect(!filter("Checks.Status != passing", Shapes.noChecks))
        #expect(!filter("Checks.Status == passing", Shapes.noChecks))
        #expect(filter("not Checks.Status == passing", Shapes.noChecks))
        #expect(filter("Checks.ServiceTags contains primary"))
        #expect(filter("Checks.CheckID == serfHealth and Checks.Status == critical"))
    }

    @Test("numbers compare as Go ints after strconv.ParseInt(value, 0, 64) (go-bexpr coerce)")
    func integerCoercion() {
        #expect(filter("Service.Port == 5000"))
        #expect(filter("Service.Port == \"5000\""))
        #expect(filter("Service.Port == \"0x1388\""))
        #expect(filter("Service.Port == \"011610\""))
        #expect(filter("Service.Port == \"5_000\""))
        #expect(!filter("Service.Port == 5000.0"))
        #expect(!filter("Service.Port == 5001"))
        #expect(filter("Service.Port != -1"))
        #expect(filter("Service.Weights.Passing == 10"))
        #expect(filter("Node.CreateIndex == 5"))
    }

    @Test("booleans compare after strconv.ParseBool, so true, T and 1 agree (go-bexpr coerce)")
    func boolCoercion() {
        #expect(filter("Service.EnableTagOverride == false"))
        #expect(filter("Service.EnableTagOverride == F"))
        #expect(filter("Service.EnableTagOverride == 0"))
        #expect(filter("Service.EnableTagOverride != true"))
        #expect(!filter("Service.EnableTagOverride == yes"))
        #expect(filter("ServiceEnableTagOverride == False", Shapes.catalogRow))
    }

    @Test("strings compare byte for byte, not by Unicode canonical equivalence (Go ==)")
    func byteEquality() {
        #expect(filter("Service.Meta.city == \"caf\\u00e9\""))
        #expect(!filter("Service.Meta.city == \"cafe\\u0301\""))
    }

    @Test("not binds tighter than and, and tighter than or (go-bexpr grammar precedence)")
    func precedence() {
        #expect(filter("Service.Service == web or Service.Port == 1 and Node.Node == n2"))
        #expect(!filter("(Service.Service == web or Service.Port == 1) and Node.Node == n2"))
        #expect(!filter("not Service.Service == web and Node.Node == n2"))
        #expect(filter("not (Service.Service == web and Node.Node == n2)"))
        #expect(filter("not not Service.Service == web"))
        #expect(filter("Node.Node == n2 or Node.Node == n3 or Service.Port == 5000"))
        #expect(!filter("Node.Node == n1 and Service.Port == 5000 and Service.ID == x"))
    }

    @Test("whitespace, tabs and newlines are ignored outside strings (go-bexpr _)")
    func whitespace() {
        #expect(filter("\t\r\n  Service.Service \t\r\n == \t\r\n web \t\r\n"))
        #expect(filter(" ( Service.Service == web ) "))
        #expect(filter("\n not \n Service.Tags \n contains \n canary \n"))
    }

    @Test("double-quoted values take Go escapes, raw values keep backslashes (strconv.Unquote)")
    func stringEscapes() {
        #expect(filter("Service.Meta.note == \"tab\\there\""))
        #expect(filter("Service.Meta.note == \"tab\\x09here\""))
        #expect(filter("Service.Meta.note == \"tab\\011here\""))
        #expect(filter("Service.Meta.path == `C:\\dir`"))
        #expect(filter("Service.Meta.path == \"C:\\\\dir\""))
        #expect(!filter("Service.Meta.note == `tab\\there`"))
    }

    @Test("matches runs an unanchored regular expression on a string (go-bexpr MatchMatches)")
    func regexMatches() {
        #expect(filter("Service.Service matches \"^w.b$\""))
        #expect(filter("Service.Service matches eb"))
        #expect(!filter("Service.Service matches \"^db\""))
        #expect(filter("Service.Service not matches \"^db\""))
        #expect(filter("Service.Service matches \"(?i)^WEB$\""))
        #expect(filter("Service.Service matches \"^(?P<name>w)eb\""))
        #expect(filter("Checks.CheckID matches \"^service:\""))
    }

    @Test("catalog service rows and agent services filter on their flat fields (Consul shapes)")
    func otherShapes() {
        #expect(filter("ServiceTags contains primary and NodeMeta.rack == a", Shapes.catalogRow))
        #expect(filter("ServiceMeta.version == \"1.2\"", Shapes.catalogRow))
        #expect(filter("ServicePort == 5000 and Node == n1", Shapes.catalogRow))
        #expect(filter("Service == redis and Port == 8000", Shapes.agentService))
        #expect(!filter("Service == redis and Port == 8001", Shapes.agentService))
    }

    @Test("an unquoted value that is not an identifier is Consul's no-match error (issue 6467)")
    func hyphenatedValue() {
        #expect(
            failure("Node==host-name")
                == #"1:11 (10): no match found, expected: ".", "[", [ \t\r\n], [a-zA-Z0-9_] or EOF"#
        )
        #expect(filter("Node.Node == \"n1\""))
    }

    @Test("errors carry go-bexpr's prefix so the body is Consul's 400 text (filter.go)")
    func errorPrefix() throws {
        let error = #expect(throws: ConsulFilterError.self) { try ConsulFilter("Service ==") }
        #expect(error?.message.hasPrefix("Failed to create boolean expression evaluator: ") == true)
        #expect(
            failure("")
                == #"1:1 (0): no match found, expected: "(", "-", "0", "\"", "`", "not", [ "#
                + #"\t\r\n], [1-9] or [a-zA-Z]"#
        )
    }

    @Test("grammar predicate errors name their rule and offset (go-bexpr grammar_test.go)")
    func predicateErrors() {
        #expect(
            failure("foo == \"12x") == #"1:12 (11): rule "string": Unterminated string literal"#)
        #expect(failure("foo == `12x") == #"1:12 (11): rule "string": Unterminated string literal"#)
        #expect(failure("foo == 3x") == #"1:9 (8): rule "number": Invalid number literal"#)
        #expect(failure("foo[3] == abc") == #"1:5 (4): rule "index": Invalid index"#)
        #expect(
            failure("x in foo[\"abc\"") == #"1:15 (14): rule "index": Unclosed index expression"#)
        #expect(
            failure("foo[\"abc\" == 3") == #"1:11 (10): rule "index": Unclosed index expression"#)
        #expect(failure("x in 32") == #"1:6 (5): rule "match": Invalid selector"#)
        #expect(failure("(foo == 4") == #"1:10 (9): rule "grouping": Unmatched parentheses"#)
        #expect(failure("foo == \"\\q\"") == #"1:8 (7): rule "string": invalid syntax"#)
    }

    @Test("a parse that stops early lists what the grammar expected there (pigeon failAt)")
    func expectedLists() {
        #expect(
            failure("32 == 32") == #"1:4 (3): no match found, expected: "in", "not" or [ \t\r\n]"#)
        #expect(
            failure("x in foo abc")
                == #"1:10 (9): no match found, expected: "and", "or", [ \t\r\n] or EOF"#)
        #expect(
            failure("x in foo and ")
                == #"1:14 (13): no match found, expected: "(", "-", "0", "\"", "`", "not", "#
                + #"[ \t\r\n], [1-9] or [a-zA-Z]"#
        )
        #expect(
            failure("x in foo or not ")
                == #"1:17 (16): no match found, expected: "!=", "(", "-", "0", "==", "\"", "#
                + #""`", "contains", "in", "is", "matches", "not", [ \t\r\n], [1-9] or "#
                + #"[a-zA-Z]"#
        )
        #expect(failure("a ==\n3x") == #"2:2 (6): rule "number": Invalid number literal"#)
    }

    @Test("a bad regular expression is rejected when the filter is built (go-bexpr validate)")
    func badRegex() {
        #expect(
            failure("Service.Service matches \"(\"")
                == #"Failed to compile regular expression "(": error parsing regexp: "#
                + #"invalid pattern"#
        )
    }

    @Test("with a schema an unknown selector is Consul's \"is not valid\" error (bexpr validate)")
    func schemaSelectors() {
        let schema = Shapes.healthSchema
        #expect(
            failure("Service.Foo == 1", schema: schema) == #"Selector "Service.Foo" is not valid"#)
        #expect(failure("Foo.Bar == 1", schema: schema) == #"Selector "Foo" is not valid"#)
        #expect(
            failure("Service.Port.X == 1", schema: schema)
                == #"Selector "Service.Port.X" is not valid"#)
        #expect(failure("Checks.Status == passing", schema: schema) == nil)
        #expect(failure("Service.Meta[\"any.key\"] == x", schema: schema) == nil)
        #expect(
            failure("Service.Meta.k.deeper == x", schema: schema)
                == #"Selector "Service.Meta.k.deeper" is not valid"#)
    }

    @Test(
        "with a schema each field type allows only bexpr's operators for its kind (field_config.go)"
    )
    func schemaOperators() {
        let schema = Shapes.healthSchema
        #expect(
            failure("Service.Tags == primary", schema: schema)
                == #"Invalid match operator "Equal" for selector "Service.Tags""#)
        #expect(
            failure("Service.Address is empty", schema: schema)
                == #"Invalid match operator "Is Empty" for selector "Service.Address""#)
        #expect(
            failure("Service.Port matches \"5\"", schema: schema)
                == #"Invalid match operator "Matches" for selector "Service.Port""#)
        #expect(
            failure("Checks == x", schema: schema)
                == #"Invalid match operator "Equal" for selector "Checks""#)
        #expect(failure("Checks is empty", schema: schema) == nil)
        #expect(failure("version in Service.Meta", schema: schema) == nil)
    }

    @Test("with a schema a value that does not convert is a coercion error (bexpr validate)")
    func schemaCoercion() {
        let schema = Shapes.healthSchema
        #expect(
            failure("Service.Port == abc", schema: schema)
                == #"Failed to coerce value "abc" for selector "Service.Port": "#
                + #"strconv.ParseInt: parsing "abc": invalid syntax"#
        )
        #expect(
            failure("Service.EnableTagOverride == yes", schema: schema)
                == #"Failed to coerce value "yes" for selector "Service.EnableTagOverride": "#
                + #"strconv.ParseBool: parsing "yes": invalid syntax"#
        )
        #expect(
            failure("Node.CreateIndex == -1", schema: schema)
                == #"Failed to coerce value "-1" for selector "Node.CreateIndex": "#
                + #"strconv.ParseUint: parsing "-1": invalid syntax"#
        )
        #expect(
            failure("Service.Port == \"99999999999999999999\"", schema: schema)
                == #"Failed to coerce value "99999999999999999999" for selector "#
                + #""Service.Port": strconv.ParseInt: parsing "99999999999999999999": "#
                + #"value out of range"#
        )
        #expect(failure("Service.Port == \"0x1388\"", schema: schema) == nil)
    }

    @Test("strconv base-0 integers accept prefixes and Go's underscore rules (strconv.ParseInt)")
    func goParseInt() throws {
        #expect(try GoStrconv.parseInt("1_000") == 1000)
        #expect(try GoStrconv.parseInt("-0b101") == -5)
        #expect(try GoStrconv.parseInt("0o17") == 15)
        #expect(try GoStrconv.parseInt("017") == 15)
        #expect(try GoStrconv.parseInt("-9223372036854775808") == Int64.min)
        for bad in ["", "_1", "1_", "1__0", "08", "0x", "0x_", "+", "1e3", " 1"] {
            #expect(throws: GoStrconv.Failure.self, "\(bad)") { try GoStrconv.parseInt(bad) }
        }
        #expect(throws: GoStrconv.Failure.range("ParseInt", "9223372036854775808")) {
            try GoStrconv.parseInt("9223372036854775808")
        }
    }
}

@Suite("Consul ?filter limits")
struct ConsulFilterLimitTests {
    @Test("an expression of expressionBytesMax bytes parses and one byte more is rejected")
    func expressionLength() {
        let head = "Service.Service == \""
        let padding = ConsulFilterLimits.expressionBytesMax - head.utf8.count - 1
        let atLimit = head + String(repeating: "w", count: padding) + "\""
        #expect(atLimit.utf8.count == ConsulFilterLimits.expressionBytesMax)
        #expect(failure(atLimit) == nil)
        let over = head + String(repeating: "w", count: padding + 1) + "\""
        #expect(failure(over) == "Expression of 8193 bytes exceeds the limit (8192)")
    }

    @Test("parentheses nested nestingDepthMax deep parse and one level more is rejected")
    func parenthesesDepth() {
        let depth = ConsulFilterLimits.nestingDepthMax
        func nested(_ levels: Int) -> String {
            String(repeating: "(", count: levels) + "Service.Service == web"
                + String(repeating: ")", count: levels)
        }
        #expect(filter(nested(depth)))
        #expect(
            failure(nested(depth + 1)) == "Nesting of parentheses and not exceeds the limit (32)")
    }

    @Test("not nested nestingDepthMax deep parses and one more is rejected")
    func notDepth() {
        let depth = ConsulFilterLimits.nestingDepthMax
        // An even number of nots cancels out (bexpr folds `not not e` to `e`).
        let atLimit = String(repeating: "not ", count: depth) + "Service.Service == web"
        #expect(filter(atLimit))
        #expect(!filter(String(repeating: "not ", count: depth - 1) + "Service.Service == web"))
        let over = String(repeating: "not ", count: depth + 1) + "Service.Service == db"
        #expect(failure(over) == "Nesting of parentheses and not exceeds the limit (32)")
    }

    @Test("matchExpressionsMax match expressions parse and one more is rejected (bexpr MaxMatches)")
    func matchCount() {
        let limit = ConsulFilterLimits.matchExpressionsMax
        let terms = { (count: Int) in
            Array(repeating: "Node.Node == n9", count: count - 1) + ["Node.Node == n1"]
        }
        #expect(filter(terms(limit).joined(separator: " or ")))
        #expect(
            failure(terms(limit + 1).joined(separator: " or "))
                == "Number of match expressions (129) exceeds the limit (128)")
    }

    @Test("regexesMax regular expressions compile and one more is rejected")
    func regexCount() {
        let limit = ConsulFilterLimits.regexesMax
        let terms = { (count: Int) in
            Array(repeating: "Service.Service matches \"^w\"", count: count)
                .joined(separator: " and ")
        }
        #expect(filter(terms(limit)))
        #expect(
            failure(terms(limit + 1)) == "Number of regular expressions (17) exceeds the limit (16)"
        )
    }
}

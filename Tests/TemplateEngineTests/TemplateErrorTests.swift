import TemplateEngine
import Testing

@Suite("error messages and positions")
struct TemplateErrorTests {
    @Test("an execution error names template, line, 0-based column and the command (Go exec.go)")
    func executionPosition() {
        #expect(
            failure("{{getv \"/missing\"}}")
                == "template: t:1:2: executing \"t\" at <getv \"/missing\">: error calling getv: "
                + "key does not exist: /missing")
        #expect(
            failure("line1\n  {{ getv \"/x\" }}")
                == "template: t:2:5: executing \"t\" at <getv \"/x\">: error calling getv: "
                + "key does not exist: /x")
    }

    @Test("inside a define, the executing name is the define's, the position the file's")
    func definePosition() {
        #expect(
            failure("{{define \"inner\"}}{{getv \"/x\"}}{{end}}{{template \"inner\"}}")
                == "template: t:1:20: executing \"inner\" at <getv \"/x\">: error calling getv: "
                + "key does not exist: /x")
    }

    @Test("the context is cut to 20 bytes plus '...' (Go ErrorContext)")
    func contextTruncation() {
        #expect(
            failure("{{index (split \"a:b\" \":\") 5}}")
                == "template: t:1:2: executing \"t\" at <index (split \"a:b\" \"...>: "
                + "error calling index: index out of range: 5")
    }

    @Test("field errors point at the field")
    func fieldErrors() {
        #expect(
            failure("{{$x := \"s\"}}{{$x.Field}}")
                == "template: t:1:17: executing \"t\" at <$x.Field>: can't evaluate field Field "
                + "in type string")
        #expect(
            failure("{{(get \"/k\").Nope}}", ["/k": "v"])
                == "template: t:1:7: executing \"t\" at <\"/k\">: can't evaluate field "
                + "Nope in type memkv.KVPair")
        #expect(
            failure("{{range 1.5}}{{end}}")
                == "template: t:1:8: executing \"t\" at <1.5>: range can't iterate over 1.5")
        #expect(
            failure("{{template \"nope\"}}")
                == "template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template "
                + "\"nope\" not defined")
        #expect(
            failure("{{nil}}") == "template: t:1:2: executing \"t\" at <nil>: nil is not a command")
        #expect(
            failure("{{\"x\" 1}}")
                == "template: t:1:2: executing \"t\" at <\"x\">: can't give argument to "
                + "non-function \"x\"")
    }

    struct ParseCase: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: String
        var testDescription: String { text }
    }

    static let parseCases: [ParseCase] = [
        ParseCase(text: "{{foo}}", expected: "template: t:1:2: function \"foo\" not defined"),
        ParseCase(text: "{{if}}{{end}}", expected: "template: t:1:4: missing value for if"),
        ParseCase(text: "a{{end}}", expected: "template: t:1:6: unexpected {{end}}"),
        ParseCase(text: "{{else}}", expected: "template: t:1:6: unexpected {{else}}"),
        ParseCase(text: "{{range .}}", expected: "template: t:1:11: unexpected EOF"),
        ParseCase(text: "{{$x}}", expected: "template: t:1:2: undefined variable \"$x\""),
        ParseCase(text: "\n{{.X", expected: "template: t:2:4: unclosed action"),
        ParseCase(text: "{{/* x }}", expected: "template: t:1:0: unclosed comment"),
        ParseCase(
            text: "{{/* x */ }}", expected: "template: t:1:0: comment ends before closing delimiter"
        ),
        ParseCase(
            text: "{{\"a\" | \"b\"}}",
            expected: "template: t:1:8: non executable command in pipeline stage 2"),
        ParseCase(
            text: "{{printf \"%d\"3}}", expected: "template: t:1:13: unexpected \"3\" in operand"),
        ParseCase(text: "{{break}}", expected: "template: t:1:2: {{break}} outside {{range}}"),
        ParseCase(text: "{{(1}}", expected: "template: t:1:4: unclosed left paren"),
        ParseCase(text: "{{1)}}", expected: "template: t:1:3: unexpected right paren"),
        ParseCase(text: "{{3x}}", expected: "template: t:1:2: bad number syntax: \"3x\""),
        ParseCase(text: "{{\"abc}}", expected: "template: t:1:2: unterminated quoted string"),
        ParseCase(text: "{{.X.}}", expected: "template: t:1:4: unexpected \".\" in operand"),
        ParseCase(text: "{{1.Field}}", expected: "template: t:1:2: bad number syntax: \"1.F\""),
        ParseCase(
            text: "{{\"s\".Field}}",
            expected: "template: t:1:5: unexpected . after term \"\\\"s\\\"\""),
        ParseCase(
            text: "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}",
            expected: "template: t:0:0: template: multiple definition of template \"a\""),
        ParseCase(
            text: "{{range $a, $b, $c := .}}{{end}}",
            expected: "template: t:1:14: too many declarations in range"),
    ]

    @Test("parse errors carry Go's messages with line and column", arguments: parseCases)
    func parseErrors(_ testCase: ParseCase) {
        #expect(failure(testCase.text) == testCase.expected)
    }

    @Test("errors are typed: parse, execution and limit kinds")
    func kinds() {
        #expect(renderError("{{foo}}")?.kind == .parse)
        #expect(renderError("{{getv \"/x\"}}")?.kind == .execution)
        var limits = TemplateLimits()
        limits.outputBytesMax = 1
        #expect(renderError("ab", limits: limits)?.kind == .limit)
    }
}

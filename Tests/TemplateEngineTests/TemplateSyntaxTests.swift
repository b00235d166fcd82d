import TemplateEngine
import Testing

@Suite("text/template syntax")
struct TemplateSyntaxTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: String
        var keys: [String: String] = [:]
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        // text, actions, comments, trimming
        Case(text: "plain text", expected: "plain text"),
        Case(text: "a {{\"b\"}} c", expected: "a b c"),
        Case(text: "a  {{- \"b\" -}}  c", expected: "abc"),
        Case(text: "a \n\t {{- 3}}", expected: "a3"),
        Case(text: "{{3 -}} \n\t x", expected: "3x"),
        Case(text: "{{-3}}", expected: "-3"),
        Case(text: "a{{/* comment */}}b", expected: "ab"),
        Case(text: "a {{- /* comment */ -}} b", expected: "ab"),
        Case(text: "a{{/* multi\nline */}}b", expected: "ab"),
        Case(text: "{{`raw \\n`}}", expected: "raw \\n"),
        Case(text: "{{\"esc\\t\\u00e9\\x41\"}}", expected: "esc\té\u{41}"),
        Case(
            text: "{{'a'}} {{0x1F}} {{0o17}} {{0b101}} {{1_000}} {{017}}",
            expected: "97 31 15 5 1000 15"),
        Case(text: "{{1.5}} {{1e3}} {{.5}}", expected: "1.5 1000 0.5"),
        Case(text: "{{true}} {{false}}", expected: "true false"),
        Case(text: "{{.}}", expected: "<no value>"),
        Case(text: "{{.Missing}}", expected: "<no value>"),
        Case(text: "{{.Missing.Deeper}}", expected: "<no value>"),
        Case(text: "{{print .Missing}}", expected: "<nil>"),
        // variables
        Case(text: "{{$x := 1}}{{$x}}", expected: "1"),
        Case(text: "{{$x := 1}}{{$x = 2}}{{$x}}", expected: "2"),
        Case(text: "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", expected: "2"),
        Case(text: "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", expected: "21"),
        Case(text: "{{with $x := \"v\"}}{{$x}}{{.}}{{end}}", expected: "vv"),
        Case(text: "{{$}}", expected: "<no value>"),
        // if / else if / else
        Case(text: "{{if 1}}yes{{end}}", expected: "yes"),
        Case(text: "{{if 0}}yes{{else}}no{{end}}", expected: "no"),
        Case(text: "{{if \"\"}}a{{else if 0}}b{{else if 1.5}}c{{else}}d{{end}}", expected: "c"),
        Case(text: "{{if false}}a{{else if false}}b{{else}}d{{end}}", expected: "d"),
        Case(
            text: "{{if ls \"/none\"}}a{{else}}empty list is false{{end}}",
            expected: "empty list is false"),
        Case(
            text: "{{if get \"/k\"}}struct is true{{end}}", expected: "struct is true",
            keys: ["/k": ""]),
        // with
        Case(text: "{{with \"x\"}}{{.}}{{end}}", expected: "x"),
        Case(text: "{{with \"\"}}{{.}}{{else}}none{{end}}", expected: "none"),
        Case(text: "{{with 0}}a{{else with 2}}{{.}}{{end}}", expected: "2"),
        // range
        Case(text: "{{range split \"a,b,c\" \",\"}}[{{.}}]{{end}}", expected: "[a][b][c]"),
        Case(
            text: "{{range $i, $v := split \"a,b\" \",\"}}{{$i}}={{$v}} {{end}}",
            expected: "0=a 1=b "),
        Case(text: "{{range $v := split \"a,b\" \",\"}}{{$v}}{{end}}", expected: "ab"),
        Case(text: "{{range ls \"/none\"}}x{{else}}empty{{end}}", expected: "empty"),
        Case(
            text: "{{range .Missing}}x{{else}}nil ranges as empty{{end}}",
            expected: "nil ranges as empty"),
        Case(
            text: "{{range $k, $v := map \"b\" 2 \"a\" 1 \"c\" 3}}{{$k}}{{$v}}{{end}}",
            expected: "a1b2c3"),
        Case(text: "{{range map \"b\" 2 \"a\" 1}}{{.}}{{end}}", expected: "12"),
        Case(
            text:
                "{{range seq 1 5}}{{if eq . 2}}{{continue}}{{end}}{{if eq ."
                + " 4}}{{break}}{{end}}{{.}}{{end}}",
            expected: "13"),
        Case(text: "{{range 3}}{{.}}{{end}}", expected: "012"),
        Case(
            text:
                "{{range $i, $v := seq 5 6}}{{$i}}{{$v}}{{end}}{{range seq 1 2}}{{$x :="
                + " .}}{{$x}}{{end}}",
            expected: "051612"),
        // define / template / block
        Case(
            text: "{{define \"a\"}}A{{.}}{{end}}{{template \"a\" 1}}{{template \"a\"}}",
            expected: "A1A<no value>"),
        Case(
            text:
                "{{define \"a\"}}<{{template \"b\" .}}>{{end}}{{define"
                + " \"b\"}}{{.}}!{{end}}{{template \"a\" \"x\"}}",
            expected: "<x!>"),
        Case(text: "{{block \"b\" \"dot\"}}[{{.}}]{{end}}", expected: "[dot]"),
        Case(text: "{{$x := 1}}{{define \"t2\"}}{{$}}{{end}}{{template \"t2\" 5}}", expected: "5"),
        // pipelines, parentheses, fields, methods
        Case(text: "{{\"abc\" | printf \"%s-%s\" \"x\"}}", expected: "x-abc"),
        Case(text: "{{\"a\" | toUpper | printf \"<%s>\"}}", expected: "<A>"),
        Case(text: "{{(split \"a.b\" \".\") | len}}", expected: "2"),
        Case(text: "{{len (index (jsonArray \"[[1,2,3]]\") 0)}}", expected: "3"),
        Case(
            text:
                "{{$m := json \"{\\\"a\\\":{\\\"b\\\":{\\\"c\\\":7}}}\"}}{{$m.a.b.c}} {{(index"
                + " $m \"a\").b.c}}",
            expected: "7 7"),
        Case(
            text: "{{(get \"/k\").Value}} {{$p := get \"/k\"}}{{$p.Key}}", expected: "v /k",
            keys: ["/k": "v"]),
        Case(
            text: "{{with get \"/k\"}}{{.Key}}={{.Value}}{{end}}", expected: "/k=v",
            keys: ["/k": "v"]),
        Case(text: "{{datetime.Format \"2006-01-02\"}}", expected: "1970-01-01"),
        Case(text: "{{(datetime).Year}}", expected: "1970"),
        Case(
            text: "{{and 1 0 2}} {{and 1 2}} {{or 0 \"\" \"x\"}} {{or 0"
                + " \"\"}}", expected: "0 2 x "),
        Case(text: "{{and (exists \"/none\") (getv \"/none\")}}", expected: "false"),
        Case(text: "{{or (exists \"/k\") (getv \"/none\")}}", expected: "true", keys: ["/k": "v"]),
        Case(
            text: "{{if (exists \"/a\") | and (exists \"/b\")}}both{{end}}", expected: "both",
            keys: ["/a": "", "/b": ""]),
        Case(text: "{{not 0}} {{not \"x\"}}", expected: "true false"),
    ]

    @Test("renders like Go text/template", arguments: cases)
    func renders(_ testCase: Case) throws {
        #expect(try render(testCase.text, testCase.keys) == testCase.expected)
    }

    @Test("a data value is dot and $; map keys and struct fields are fields")
    func dataValue() throws {
        let data = TemplateValue.map([
            "Name": .string("web"), "Ports": .list([.int(80), .int(443)]),
            "KV": .record(.keyValuePair(key: "/k", value: "v")),
        ])
        #expect(
            try render("{{.Name}} {{.Ports}} {{.KV.Value}} {{$.Name}}", data: data)
                == "web [80 443] v web")
        #expect(try render("{{range .Ports}}{{.}};{{end}}", data: data) == "80;443;")
    }

    @Test("datetime prints Go's Time.String() and formats Go layouts")
    func datetime() throws {
        let environment = StaticTemplateEnvironment(time: pacificTime)
        #expect(
            try render("{{datetime}}", environment: environment)
                == "2015-01-23 13:34:56.093250283 -0800 PST")
        #expect(
            try render(
                "{{datetime.Format \"Jan 2, 2006 at 3:04pm (MST)\"}}", environment: environment)
                == "Jan 23, 2015 at 1:34pm (PST)")
        #expect(
            try render(
                "{{datetime.Format \"2006-01-02T15:04:05Z07:00\"}}", environment: environment)
                == "2015-01-23T13:34:56-08:00")
        #expect(
            try render(
                "{{datetime.Format \"Mon Jan _2 15:04:05.000 2006 .999 002\"}}",
                environment: environment)
                == "Fri Jan 23 13:34:56.093 2015 .093 023")
        #expect(
            try render(
                "{{datetime.UTC.Format \"Monday 03PM -0700 Z07:00\"}}", environment: environment)
                == "Friday 09PM +0000 Z")
        #expect(try render("{{datetime.Unix}}", environment: environment) == "1422048896")
    }
}

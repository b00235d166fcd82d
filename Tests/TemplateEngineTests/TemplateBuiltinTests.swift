import TemplateEngine
import Testing

@Suite("Go built-in functions and fmt verbs")
struct TemplateBuiltinTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: String
        var testDescription: String { "\(text) => \(expected)" }
        init(_ text: String, _ expected: String) {
            self.text = text
            self.expected = expected
        }
    }

    static let builtins: [Case] = [
        Case("{{len \"héllo\"}} {{len (split \"a,b\" \",\")}} {{len (map \"a\" 1)}}", "6 2 1"),
        Case(
            "{{index (split \"a,b\" \",\") 1}} {{index \"abc\" 1}} {{index (map \"k\" \"v\")"
                + " \"k\"}}",
            "b 98 v"),
        Case("{{index (map \"k\" \"v\") \"missing\"}}", "<no value>"),
        Case("{{index (jsonArray \"[[1,[2,3]]]\") 0 1 0}}", "2"),
        Case(
            "{{slice \"abcdef\" 1 3}} {{slice (split \"a,b,c\" \",\") 1}} {{slice \"abc\"}}",
            "bc [b c] abc"),
        Case(
            "{{eq 1 1}} {{eq 1 2}} {{eq \"a\" \"b\" \"a\"}} {{eq 2 1 3}}", "true false true false"),
        Case(
            "{{eq .Missing \"x\"}} {{eq nil nil}} {{ne 1 2}} {{ne \"a\" \"a\"}}",
            "false true true false"),
        Case(
            "{{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}} {{lt \"a\" \"b\"}} {{lt 1.5 2.5}}",
            "true true true false true true"),
        Case("{{eq (not 0) true}}", "true"),
        Case("{{print 1 2 \"c\" 3 4}} {{print \"a\" \"b\"}}", "1 2c3 4 ab"),
        Case("{{println \"a\" 1}}", "a 1\n"),
        Case("{{html \"<a href='x'>&\\\"\"}}", "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"),
        Case("{{js \"it's <b>\"}}", "it\\'s \\u003Cb\\u003E"),
        Case("{{urlquery \"a b&c=d/é\"}}", "a+b%26c%3Dd%2F%C3%A9"),
    ]

    @Test("built-ins follow Go funcs.go", arguments: builtins)
    func builtin(_ testCase: Case) throws {
        #expect(try render(testCase.text) == testCase.expected)
    }

    static let printf: [Case] = [
        Case(#"{{printf "%s|%v|%q" "x" "y" "z\n"}}"#, #"x|y|"z\n""#),
        Case(
            #"{{printf "%d|%5d|%-5d|%05d|%+d|% d" 42 42 42 42 42 42}}"#,
            "42|   42|42   |00042|+42| 42"),
        Case(
            #"{{printf "%05d|%.3d|%8.3d|%x|%X|%#x|%o|%#o|%O|%b" -42 7 7 255 255 255 8 8 8 5}}"#,
            "-0042|007|     007|ff|FF|0xff|10|010|0o10|101"),
        Case(#"{{printf "%c|%q|%U|%#U" 65 65 128512 65}}"#, "A|'A'|U+1F600|U+0041 'A'"),
        Case(
            #"{{printf "%f|%.2f|%8.2f|%-8.2f|%08.2f|%+.1f" 3.14159 3.14159 3.14159 3.14159"#
                + #" -3.14159 2.0}}"#,
            "3.141590|3.14|    3.14|3.14    |-0003.14|+2.0"),
        Case(
            #"{{printf "%e|%E|%.2e|%g|%g|%g|%.3g|%G" 1234.5678 1234.5678 0.000123 1234.5678"#
                + #" 1e21 0.00001 1234.5678 1e-7}}"#,
            "1.234568e+03|1.234568E+03|1.23e-04|1234.5678|1e+21|1e-05|1.23e+03|1E-07"),
        Case(
            #"{{printf "%v %v %v %v %v %v" 3.0 1e6 123456.0 0.1 100000.0 1e-5}}"#,
            "3 1e+06 123456 0.1 100000 1e-05"),
        Case(#"{{printf "%.0f %.1f %.3f" 2.5 0.05 1.0005}}"#, "2 0.1 1.000"),
        Case(#"{{printf "%t|%v|%5t" true false true}}"#, "true|false| true"),
        Case(
            #"{{printf "%x|% x|%X|%#x|%5s|%-5s|%.2s|%5.1s" "hi" "hi" "hello" "hi" "ab" "ab""#
                + #" "abcdef" "abc"}}"#,
            "6869|68 69|68656C6C6F|0x6869|   ab|ab   |ab|    a"),
        Case(
            #"{{printf "%v|%d|%s|%q" (seq 1 3) (seq 1 2) (split "a,b" ",") (split "a,b" ",")}}"#,
            #"[1 2 3]|[1 2]|[a b]|["a" "b"]"#),
        Case(#"{{printf "%v" (map "b" 2 "a" (split "x,y" ","))}}"#, "map[a:[x y] b:2]"),
        Case(
            #"{{printf "%v|%+v|%s" (get "/k") (get "/k") (get "/k")}}"#,
            "{/k v}|{Key:/k Value:v}|{/k v}"),
        Case(#"{{printf "%d|%s|%z" "hi" 5 1}}"#, "%!d(string=hi)|%!s(int=5)|%!z(int=1)"),
        Case(#"{{printf "%d %d" 1}}"#, "1 %!d(MISSING)"),
        Case(#"{{printf "%d" 1 2 "x"}}"#, "1%!(EXTRA int=2, string=x)"),
        Case(
            #"{{printf "100%%" }}|{{printf "%"}}|{{printf "%.2f" 3}}"#,
            "100%|%!(NOVERB)|%!f(int=03)"),
        Case(#"{{printf "%*d|%-*d|%.*f" 5 42 4 7 1 3.14159}}"#, "   42|7   |3.1"),
        Case(#"{{printf "%[2]d %[1]d" 1 2}}|{{printf "%[3]d" 1}}"#, "2 1|%!d(BADINDEX)"),
        Case(#"{{printf "%T %T %T %T" 1 "s" 1.5 (split "a" ",")}}"#, "int string float64 []string"),
        Case(#"{{printf "%v|%s|%d" nil nil .Missing}}"#, "<nil>|%!s(<nil>)|%!d(<nil>)"),
        Case(
            #"{{printf "%v %v" (jsonArray "[1, null, \"s\", true]") (json "{\"n\":8080}").n}}"#,
            "[1 <nil> s true] 8080"),
        Case(#"{{printf "%6.2f%%" 12.3456}}"#, " 12.35%"),
        Case(#"{{printf "%v %v" -0.0 1.7e9}}"#, "-0 1.7e+09"),
    ]

    @Test("printf matches Go's fmt", arguments: printf)
    func printfVerbs(_ testCase: Case) throws {
        #expect(try render(testCase.text, ["/k": "v"]) == testCase.expected)
    }

    static let comparisonErrors: [Case] = [
        Case(
            "{{eq 1 1.0}}", "error calling eq: incompatible types for comparison: int and float64"),
        Case(
            "{{lt \"a\" 1}}",
            "error calling lt: incompatible types for comparison: string and int"),
        Case("{{lt true false}}", "error calling lt: invalid type for comparison"),
        Case("{{eq 1}}", "error calling eq: missing argument for comparison"),
        Case(
            "{{eq (split \"a\" \",\") (split \"a\" \",\")}}",
            "error calling eq: non-comparable type [a]: []string"),
        Case("{{len 3}}", "error calling len: len of type int"),
        Case("{{index (split \"a\" \",\") 5}}", "error calling index: index out of range: 5"),
        Case("{{index 5 0}}", "error calling index: can't index item of type int"),
        Case("{{slice \"abc\" 2 1}}", "error calling slice: invalid slice index: 2 > 1"),
        Case("{{slice \"abc\" 1 2 3}}", "error calling slice: cannot 3-index slice a string"),
    ]

    @Test("comparison and indexing errors use Go's messages", arguments: comparisonErrors)
    func errors(_ testCase: Case) {
        #expect(failure(testCase.text).hasSuffix(testCase.expected), "\(failure(testCase.text))")
    }
}

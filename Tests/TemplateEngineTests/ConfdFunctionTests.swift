import TemplateEngine
import Testing

@Suite("confd and Roost template functions")
struct ConfdFunctionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: String
        var testDescription: String { "\(text) => \(expected)" }
        init(_ text: String, _ expected: String) {
            self.text = text
            self.expected = expected
        }
    }

    static let keys = [
        "/app/db/host": "db1", "/app/db/port": "5432", "/app/name": "shop",
        "/app/web/a": "10.0.0.2", "/app/web/b": "10.0.0.1", "/app/empty": "",
        "/count": "3", "/flag": "true", "/json": #"{"ip":"1.2.3.4","port":8080,"tags":["a","b"]}"#,
    ]

    static let cases: [Case] = [
        Case(
            "{{exists \"/app/name\"}} {{exists \"/app\"}} {{exists"
                + " \"/nope\"}}", "true false false"),
        Case(
            "{{getv \"/app/name\"}} {{getv \"/nope\" \"dflt\"}} {{getv \"/app/empty\" \"dflt\"}}|",
            "shop dflt |"),
        Case("{{getv \"/nope\" \"\"}}|", "|"),
        Case(
            "{{range gets \"/app/web/*\"}}{{.Key}}={{.Value}} {{end}}",
            "/app/web/a=10.0.0.2 /app/web/b=10.0.0.1 "),
        Case("{{gets \"/app/*\"}}", "[{/app/empty } {/app/name shop}]"),
        Case("{{len (gets \"/none/*\")}}", "0"),
        Case("{{getvs \"/app/web/*\"}}", "[10.0.0.1 10.0.0.2]"),
        Case("{{getvs \"/app/[dw]*/?\"}}", "[10.0.0.1 10.0.0.2]"),
        Case("{{getvs \"/app/db/[^h]*\"}}", "[5432]"),
        Case(
            "{{ls \"/app\"}} {{ls \"/app/\"}} {{ls \"/app/name\"}} {{ls \"/\"}}",
            "[db empty name web] [db empty name web] [app name] [count flag json]"),
        Case("{{lsdir \"/app\"}} {{lsdir \"/\"}} {{lsdir \"/app/db\"}}", "[db web] [] []"),
        Case("{{base \"/a/b/c\"}} {{base \"/a/b/\"}} {{base \"\"}} {{base \"/\"}}", "c b . /"),
        Case(
            "{{dir \"/services/data/url\"}} {{dir \"a\"}} {{dir \"/a\"}} {{dir \"/a//b/../c/d\"}}",
            "/services/data . / /a/c"),
        Case(
            "{{split \"a:b:c\" \":\"}} {{len (split \"\" \",\")}} {{split \"ab\" \"\"}}",
            "[a b c] 1 [a b]"),
        Case(
            "{{join (split \"a:b\" \":\") \",\"}} {{join (getvs \"/app/web/*\") \" \"}}",
            "a,b 10.0.0.1 10.0.0.2"),
        Case("{{toUpper \"abcé\"}} {{toLower \"ABC\"}}", "ABCÉ abc"),
        Case("{{contains \"haystack\" \"st\"}} {{contains \"a\" \"b\"}}", "true false"),
        Case(
            "{{replace \"a-b-c\" \"-\" \"_\" -1}} {{replace \"a-b-c\" \"-\" \"_\" 1}} {{replace"
                + " \"ab\" \"\" \"-\" -1}}",
            "a_b_c a_b-c -a-b-"),
        Case("{{trimSuffix \"file.conf\" \".conf\"}} {{trimSuffix \"x\" \"y\"}}", "file x"),
        Case(
            "{{$d := json (getv \"/json\")}}{{$d.ip}}:{{$d.port}} {{index $d.tags 1}} {{$d.none}}",
            "1.2.3.4:8080 b <no value>"),
        Case("{{json \"null\"}} {{jsonArray \"null\"}} {{jsonArray \"[]\"}}", "map[] [] []"),
        Case("{{$m := map \"k\" \"v\" \"n\" 2}}{{$m.k}}{{$m.n}} {{len $m}}", "v2 2"),
        Case(
            "{{base64Encode \"hello\"}} {{base64Decode \"aGVsbG8=\"}} {{base64Encode \"\"}}|",
            "aGVsbG8= hello |"),
        Case("{{parseBool \"true\"}} {{parseBool \"0\"}} {{parseBool \"T\"}}", "true false true"),
        Case(
            "{{add 2 3}} {{sub 2 3}} {{mul 4 5}} {{div 7 2}} {{mod 7 3}} {{div -7 2}} {{mod -7 3}}",
            "5 -1 20 3 1 -3 -1"),
        Case("{{add 9223372036854775807 1}}", "-9223372036854775808"),
        Case("{{seq 1 3}} {{seq 3 1}} {{seq 2 2}}", "[1 2 3] [] [2]"),
        Case("{{range seq 1 (atoi (getv \"/count\"))}}{{.}}{{end}} {{atoi \"-42\"}}", "123 -42"),
        Case(
            "{{reverse (split \"a,b,c\" \",\")}} {{range reverse (gets"
                + " \"/app/web/*\")}}{{.Value}} {{end}}",
            "[c b a] 10.0.0.1 10.0.0.2 "),
        Case("{{reverse (seq 1 3)}}", "[1 2 3]"),
        Case("{{sortByLength (split \"ccc,a,bb,d\" \",\")}}", "[a d bb ccc]"),
        Case("{{range sortKVByLength (gets \"/app/*\")}}{{.Key}} {{end}}", "/app/name /app/empty "),
        Case(
            "{{keyOrDefault \"/app/name\" \"x\"}} {{keyOrDefault \"/app/empty\" \"x\"}}"
                + " {{keyOrDefault \"/nope\" \"x\"}}",
            "shop x x"),
        Case("{{if (len (getv \"/app/name\")) | ne 0}}nonempty{{end}}", "nonempty"),
    ]

    @Test("confd functions behave like confd's Go implementations", arguments: cases)
    func function(_ testCase: Case) throws {
        #expect(try render(testCase.text, Self.keys) == testCase.expected)
    }

    static let errors: [Case] = [
        Case("{{get \"/nope\"}}", "error calling get: key does not exist: /nope"),
        Case("{{getv \"/nope\"}}", "error calling getv: key does not exist: /nope"),
        Case("{{gets \"/app/[\"}}", "error calling gets: syntax error in pattern"),
        Case("{{getvs \"\\\\\"}}", "error calling getvs: syntax error in pattern"),
        Case(
            "{{json \"[1]\"}}",
            "error calling json: json: cannot unmarshal array into Go value of type"
                + " map[string]interface {}"
        ),
        Case(
            "{{jsonArray \"{}\"}}",
            "error calling jsonArray: json: cannot unmarshal object into Go value of type"
                + " []interface {}"
        ),
        Case("{{json \"\"}}", "error calling json: unexpected end of JSON input"),
        Case("{{map \"a\"}}", "error calling map: invalid map call"),
        Case("{{map 1 2}}", "error calling map: map keys must be strings"),
        Case(
            "{{parseBool \"yes\"}}",
            "error calling parseBool: strconv.ParseBool: parsing \"yes\": invalid syntax"),
        Case(
            "{{atoi \"12a\"}}",
            "error calling atoi: strconv.Atoi: parsing \"12a\": invalid syntax"),
        Case(
            "{{atoi \"99999999999999999999\"}}",
            "error calling atoi: strconv.Atoi: parsing \"99999999999999999999\": value out of range"
        ),
        Case("{{div 1 0}}", "error calling div: runtime error: integer divide by zero"),
        Case("{{mod 1 0}}", "error calling mod: runtime error: integer divide by zero"),
        Case(
            "{{base64Decode \"aGVsbG8\"}}",
            "error calling base64Decode: illegal base64 data at input byte 4"),
        Case(
            "{{base64Decode \"a$==\"}}",
            "error calling base64Decode: illegal base64 data at input byte 1"),
        Case("{{add \"1\" 2}}", "expected integer; found \"1\""),
        Case("{{add (getv \"/count\") 2}}", "wrong type for value; expected int; got string"),
        Case(
            "{{join (jsonArray \"[1]\") \",\"}}",
            "wrong type for value; expected []string; got []interface {}"),
        Case("{{add 1}}", "wrong number of args for add: want 2 got 1"),
        Case("{{getv}}", "wrong number of args for getv: want at least 1 got 0"),
        Case("{{cget \"/x\"}}", "function \"cget\" not defined"),
    ]

    @Test("function errors carry Go's and confd's messages", arguments: errors)
    func functionError(_ testCase: Case) {
        let message = failure(testCase.text, Self.keys)
        #expect(message.hasSuffix(testCase.expected), "\(message)")
    }

    @Test("getenv returns the default when the variable is unset or empty (confd Getenv)")
    func getenv() throws {
        let environment = StaticTemplateEnvironment(variables: ["SET": "v", "EMPTY": ""])
        #expect(
            try render(
                "{{getenv \"SET\"}} {{getenv \"EMPTY\" \"d\"}} {{getenv \"UNSET\" \"d\"}}"
                    + " {{getenv \"UNSET\"}}|",
                environment: environment) == "v d d |")
    }

    @Test("lookupIP sorts as strings; V4 and V6 filter by '.' and ':' (confd LookupIP)")
    func lookupIP() throws {
        let environment = StaticTemplateEnvironment(
            hosts: ["db": ["10.0.0.9", "2001:db8::1", "10.0.0.10"]])
        #expect(
            try render(
                "{{lookupIP \"db\"}} {{lookupIPV4 \"db\"}} {{lookupIPV6 \"db\"}} {{lookupIP"
                    + " \"none\"}}",
                environment: environment)
                == "[10.0.0.10 10.0.0.9 2001:db8::1] [10.0.0.10 10.0.0.9] [2001:db8::1] []")
    }

    @Test("lookupSRV sorts by Target+Port+Priority+Weight and exposes net.SRV fields")
    func lookupSRV() throws {
        let records = [
            TemplateSRVRecord(target: "b.example.com.", port: 2379, priority: 0, weight: 0),
            TemplateSRVRecord(target: "a.example.com.", port: 2380, priority: 10, weight: 5),
        ]
        let environment = StaticTemplateEnvironment(srvRecords: ["_etcd._tcp.example.com": records])
        #expect(
            try render(
                "{{range lookupSRV \"etcd\" \"tcp\""
                    + " \"example.com\"}}{{.Target}}:{{.Port}}/{{.Priority}}/{{.Weight}} {{end}}"
                    + "{{len (lookupSRV \"x\" \"tcp\" \"none\")}}",
                environment: environment)
                == "a.example.com.:2380/10/5 b.example.com.:2379/0/0 0")
    }

    @Test("fileExists asks the environment")
    func fileExists() throws {
        let environment = StaticTemplateEnvironment(files: ["/etc/hosts"])
        #expect(
            try render(
                "{{fileExists \"/etc/hosts\"}} {{fileExists \"/nope\"}}", environment: environment)
                == "true false")
    }

    static let catalog = TemplateServiceCatalog(
        instances: [
            .init(
                name: "web", id: "web-2", node: "n2", address: "10.0.0.2", port: 80,
                tags: ["v2", "prod"]),
            .init(
                name: "web", id: "web-1b", node: "n1", address: "10.0.0.1", port: 8080,
                tags: ["prod"],
                meta: ["zone": "a"]),
            .init(name: "web", id: "web-1a", node: "n1", address: "10.0.0.1", port: 80),
            .init(
                name: "web", id: "web-3", node: "n0", address: "10.0.0.3", port: 80,
                isHealthy: false),
            .init(
                name: "db", id: "db-1", node: "n3", address: "10.0.0.4", port: 5432,
                tags: ["primary"]),
        ],
        nodes: [.init(name: "n2", address: "10.0.0.2"), .init(name: "n1", address: "10.0.0.1")],
        services: [
            .init(name: "web", tags: ["v2", "prod"]), .init(name: "db", tags: ["primary"]),
        ])

    @Test("service returns healthy instances sorted by node then ID, filtered by tag")
    func service() throws {
        #expect(
            try render(
                "{{range service \"web\"}}{{.Node}}/{{.ID}}@{{.Address}}:{{.Port}} {{end}}",
                catalog: Self.catalog)
                == "n1/web-1a@10.0.0.1:80 n1/web-1b@10.0.0.1:8080 n2/web-2@10.0.0.2:80 ")
        #expect(
            try render(
                "{{range service \"prod.web\"}}{{.ID}}{{.Tags}}{{.Meta}} {{end}}",
                catalog: Self.catalog)
                == "web-1b[prod]map[zone:a] web-2[prod v2]map[] ")
        #expect(
            try render(
                "{{range service \"none\"}}x{{else}}server 127.0.0.1:65535;{{end}}",
                catalog: Self.catalog)
                == "server 127.0.0.1:65535;")
    }

    @Test("services and nodes list names in order")
    func servicesAndNodes() throws {
        #expect(
            try render(
                "{{range services}}{{.Name}}{{.Tags}} {{end}}|{{range"
                    + " nodes}}{{.Node}}={{.Address}} {{end}}",
                catalog: Self.catalog) == "db[primary] web[prod v2] |n1=10.0.0.1 n2=10.0.0.2 ")
    }
}

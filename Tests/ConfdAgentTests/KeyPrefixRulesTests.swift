import Testing
import TemplateEngine

@testable import ConfdAgent

@Suite("Resource prefix and key rules (reference/confd.md §1.2)")
struct KeyPrefixRulesTests {
    @Test(
        "a non-empty global prefix replaces the resource prefix; a leading / is forced",
        arguments: [
            ("", "", "/"), ("", "/production", "/production"), ("", "production", "/production"),
            ("/staging", "/production", "/staging"), ("staging", "/production", "/staging"),
            ("/staging", "", "/staging"), ("/", "/production", "/"),
            ("", "/production/", "/production/"),
        ])
    func effectivePrefix(global: String, resource: String, expected: String) {
        #expect(KeyPrefixRules.effectivePrefix(globalPrefix: global, resourcePrefix: resource)
            == expected)
    }

    @Test(
        "fetch keys are path.Join(prefix, key): trailing / dropped, // collapsed",
        arguments: [
            ("/production", "/nginx", "/production/nginx"),
            ("/production", "nginx", "/production/nginx"),
            ("/production", "/nginx/", "/production/nginx"),
            ("/production/", "//nginx//upstreams", "/production/nginx/upstreams"),
            ("/", "/nginx", "/nginx"), ("/", "", "/"), ("/", "/", "/"),
            ("/app", "../other", "/other"), ("/app", "./db", "/app/db"),
        ])
    func fetchKeys(prefix: String, key: String, expected: String) {
        #expect(KeyPrefixRules.fetchKeys(prefix: prefix, keys: [key]) == [expected])
    }

    @Test(
        "templates see backend keys with the prefix stripped and a leading / (setVars)",
        arguments: [
            ("/production/nginx/domain", "/production", "/nginx/domain"),
            ("/nginx/domain", "/", "/nginx/domain"),
            ("/production/nginx/domain", "/production/", "/nginx/domain"),
            ("/production", "/production", "/"),
            ("/other/x", "/production", "/other/x"),
        ])
    func templateKeys(backendKey: String, prefix: String, expected: String) {
        #expect(KeyPrefixRules.templateKey(backendKey: backendKey, prefix: prefix) == expected)
    }

    @Test(
        "a recursive read respects the / boundary: /app/db never selects /app/dbx (etcd v3)",
        arguments: [
            ("/app/db", "/app/db", true), ("/app/db", "/app/db/x", true),
            ("/app/db", "/app/db/x/y", true), ("/app/db", "/app/dbx", false),
            ("/app/db", "/app", false), ("/", "/anything", true), ("/", "/", true),
        ])
    func selection(fetchKey: String, backendKey: String, selected: Bool) {
        #expect(KeyPrefixRules.selects(fetchKey: fetchKey, backendKey: backendKey) == selected)
    }

    @Test("a resource's template data holds only its keys, relative to the prefix")
    func templateValues() {
        let resource = TemplateResource(
            origin: "t.toml", source: "t.tmpl", destination: "/tmp/t", keys: ["/nginx", "/db/"],
            prefix: "/production")
        let pairs: [(key: String, value: String)] = [
            ("/production/nginx/domain", "example.com"), ("/production/nginx", "root"),
            ("/production/nginxx/other", "no"), ("/production/db/host", "10.0.0.5"),
            ("/staging/nginx/domain", "no"),
        ]
        #expect(resource.templateValues(globalPrefix: "", from: pairs) == [
            "/nginx/domain": "example.com", "/nginx": "root", "/db/host": "10.0.0.5",
        ])
        #expect(resource.fetchKeys(globalPrefix: "/staging") == ["/staging/nginx", "/staging/db"])
        #expect(resource.templateValues(globalPrefix: "/staging", from: pairs) == [
            "/nginx/domain": "no",
        ])
    }

    @Test("a resource without keys sees no data")
    func noKeys() {
        let resource = TemplateResource(origin: "t", source: "s", destination: "/tmp/d")
        #expect(resource.templateValues(globalPrefix: "", from: [(key: "/a", value: "1")]).isEmpty)
    }

    @Test(
        "GoPath.clean matches Go's path.Clean",
        arguments: [
            ("", "."), ("/", "/"), ("//a//b/", "/a/b"), ("a/./b", "a/b"), ("/../a", "/a"),
            ("a/../..", ".."), ("a/b/../c", "a/c"), ("../../x", "../../x"), ("/a/b/..", "/a"),
        ])
    func clean(path: String, expected: String) {
        #expect(GoPath.clean(path) == expected)
    }
}

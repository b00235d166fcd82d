import RoostClient

/// Parsed command-line arguments: positionals, `--flag value` / `--flag=value` options
/// and boolean switches. Unknown flags are usage errors, so typos never pass silently.
struct Arguments {
    var positional: [String] = []
    /// The last value of each option.
    var options: [String: String] = [:]
    /// Every value of each option, in order, for repeatable flags (`--tag a --tag b`).
    var repeated: [String: [String]] = [:]
    var switches: Set<String> = []

    /// `valueFlags` take a value; `switchFlags` do not. Both are given without dashes.
    init(
        _ words: some Sequence<String>, valueFlags: Set<String>, switchFlags: Set<String>
    ) throws(ClientError) {
        var iterator = words.makeIterator()
        var onlyPositional = false
        while let word = iterator.next() {
            if onlyPositional || !word.hasPrefix("--") || word == "--" {
                if word == "--" && !onlyPositional {
                    onlyPositional = true
                } else {
                    positional.append(word)
                }
                continue
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switchFlags.contains(name) {
                guard inlineValue == nil else { throw .usage("--\(name) takes no value") }
                switches.insert(name)
            } else if valueFlags.contains(name) {
                guard let value = inlineValue ?? iterator.next() else {
                    throw .usage("--\(name) needs a value")
                }
                options[name] = value
                repeated[name, default: []].append(value)
            } else {
                throw .usage("unknown flag --\(name) (see --help)")
            }
        }
    }

    func int64(_ name: String) throws(ClientError) -> Int64? {
        guard let text = options[name] else { return nil }
        guard let value = Int64(text) else {
            throw .usage("--\(name) needs a whole number, got '\(text)'")
        }
        return value
    }

    func has(_ name: String) -> Bool { switches.contains(name) }

    /// All values of a repeatable option; empty when it was not given.
    func values(_ name: String) -> [String] { repeated[name] ?? [] }
}

/// Builds a `TOMLTable` while enforcing TOML v1.0's structural rules (toml.io/en/v1.0.0,
/// "Keys", "Table", "Inline Table", "Array of Tables"): no key defined twice, no table
/// defined twice, headers cannot reopen tables made by dotted keys, dotted keys cannot
/// extend tables made by headers, and inline tables and static arrays are closed.
///
/// Entries live in a flat map from a concrete path to what is there, so the rules are
/// checks on one lookup each; `build()` assembles the nested values at the end.
struct TOMLTableBuilder {
    /// What a concrete path names.
    enum Kind: Equatable {
        /// A table created only as the parent of a header (`[a.b]` creates `a`); one later
        /// `[a]` header may still define it.
        case implicitTable
        /// A table defined by a `[header]` (or the root).
        case headerTable
        /// A table created by a dotted key (`a.b = 1` creates `a`).
        case dottedTable
        /// An array of tables with this many elements (`[[a]]`).
        case tableArray(count: Int)
        /// A finished value: scalars, static arrays, inline tables.
        case value(TOMLValue)
    }

    /// The outcome of a structural rule, turned into a located error by the parser.
    struct Violation: Error {
        let message: String
    }

    private var kinds: [[String]: Kind] = [[]: .headerTable]
    private var children: [[String]: [String]] = [:]

    /// Path component naming element `index` of an array of tables. A NUL byte cannot
    /// appear in a bare key and is vanishingly unlikely in a quoted one.
    private static func element(_ index: Int) -> String { "\u{0}\(index)" }

    /// Handles `[key.parts]`: returns the path of the table that following keys go into.
    mutating func openTable(_ key: [String]) throws(Violation) -> [String] {
        let parent = try walkHeaderParents(key.dropLast())
        let path = parent + [key[key.count - 1]]
        switch kinds[path] {
        case nil: add(path, .headerTable)
        case .implicitTable?: kinds[path] = .headerTable
        case .headerTable?: throw Violation(message: "table [\(dotted(key))] is defined twice")
        case .dottedTable?:
            throw Violation(message: "table [\(dotted(key))] was already defined by dotted keys")
        case .tableArray?:
            throw Violation(message: "[\(dotted(key))] is already an array of tables")
        case .value?: throw Violation(message: "key \(dotted(key)) already holds a value")
        }
        return path
    }

    /// Handles `[[key.parts]]`: appends a table and returns its path.
    mutating func appendTable(_ key: [String]) throws(Violation) -> [String] {
        let parent = try walkHeaderParents(key.dropLast())
        let path = parent + [key[key.count - 1]]
        let count: Int
        switch kinds[path] {
        case nil:
            add(path, .tableArray(count: 1))
            count = 0
        case .tableArray(let existing)?:
            kinds[path] = .tableArray(count: existing + 1)
            count = existing
        case .value(.array)?:
            throw Violation(message: "cannot append to the static array \(dotted(key))")
        default:
            throw Violation(message: "[[\(dotted(key))]] names an existing table or value")
        }
        let elementPath = path + [Self.element(count)]
        add(elementPath, .headerTable)
        return elementPath
    }

    /// Handles `key.parts = value` inside the table at `table`.
    mutating func define(
        _ key: [String], _ value: TOMLValue, in table: [String]
    )
        throws(Violation)
    {
        var path = table
        for part in key.dropLast() {
            path.append(part)
            switch kinds[path] {
            case nil: add(path, .dottedTable)
            case .dottedTable?: continue
            case .value?: throw Violation(message: "key \(dotted(key)) already holds a value")
            default:
                throw Violation(
                    message: "dotted key \(dotted(key)) cannot extend a table defined elsewhere")
            }
        }
        path.append(key[key.count - 1])
        guard kinds[path] == nil else {
            throw Violation(message: "key \(dotted(key)) is defined twice")
        }
        add(path, .value(value))
    }

    /// The finished table.
    func build() -> TOMLTable {
        assemble([])
    }

    // MARK: Internals

    private mutating func walkHeaderParents(
        _ parts: ArraySlice<String>
    ) throws(Violation)
        -> [String]
    {
        var path: [String] = []
        for part in parts {
            path.append(part)
            switch kinds[path] {
            case nil: add(path, .implicitTable)
            case .implicitTable?, .headerTable?, .dottedTable?: continue
            case .tableArray(let count)?: path.append(Self.element(count - 1))
            case .value?:
                throw Violation(message: "key \(dotted(Array(parts))) already holds a value")
            }
        }
        return path
    }

    private mutating func add(_ path: [String], _ kind: Kind) {
        kinds[path] = kind
        if let name = path.last {
            children[Array(path.dropLast()), default: []].append(name)
        }
    }

    private func assemble(_ path: [String]) -> TOMLTable {
        var table = TOMLTable()
        for name in children[path] ?? [] {
            let childPath = path + [name]
            switch kinds[childPath] {
            case .value(let value)?: table.set(name, value)
            case .tableArray(let count)?:
                let elements = (0..<count).map { index in
                    TOMLValue.table(assemble(childPath + [Self.element(index)]))
                }
                table.set(name, .array(elements))
            case .implicitTable?, .headerTable?, .dottedTable?:
                table.set(name, .table(assemble(childPath)))
            case nil: preconditionFailure("a child path without a kind")
            }
        }
        return table
    }

    private func dotted(_ key: [String]) -> String {
        key.joined(separator: ".")
    }
}

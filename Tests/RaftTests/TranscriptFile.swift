import Foundation

/// A data-driven transcript (etcd `testdata/*.txt` via cockroachdb/datadriven): prose
/// lines starting with `#`, then blocks of `command`, `----`, expected output, blank line.
/// Expected output never contains blank lines.
struct TranscriptFile {
    enum Part {
        case prose(String)
        case block(command: String, expected: [String], line: Int)
    }

    var parts: [Part] = []

    init(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var position = 0
        while position < lines.count {
            let line = lines[position]
            let isCommand = !line.isEmpty && !line.hasPrefix("#")
                && position + 1 < lines.count && lines[position + 1] == "----"
            guard isCommand else {
                parts.append(.prose(line))
                position += 1
                continue
            }
            var expected: [String] = []
            var cursor = position + 2
            while cursor < lines.count && !lines[cursor].isEmpty {
                expected.append(lines[cursor])
                cursor += 1
            }
            parts.append(.block(command: line, expected: expected, line: position + 1))
            // Skip the blank line that ends the block; it is re-added on rewrite.
            position = cursor + 1
        }
    }

    /// The file again, with each block's output replaced by `outputs[blockNumber]`.
    func rendered(outputs: [[String]]) -> String {
        var lines: [String] = []
        var blockNumber = 0
        for part in parts {
            switch part {
            case .prose(let text):
                lines.append(text)
            case .block(let command, _, _):
                lines.append(command)
                lines.append("----")
                lines.append(contentsOf: outputs[blockNumber])
                lines.append("")
                blockNumber += 1
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Locates `testdata/` next to this source file (no SwiftPM resources).
enum TestData {
    static func directory(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("testdata")
    }

    static func transcriptNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory().path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    static var isRewriting: Bool {
        ProcessInfo.processInfo.environment["ROOST_REWRITE"] == "1"
    }
}

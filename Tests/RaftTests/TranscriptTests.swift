import Foundation
import Testing

/// Runs every `testdata/*.txt` transcript; `ROOST_REWRITE=1 swift test` rewrites the
/// expected output in place (review the diff before committing).
@Suite("Raft interaction transcripts (etcd testdata style)")
struct TranscriptTests {
    @Test("each transcript's commands print exactly the recorded output",
          arguments: TestData.transcriptNames())
    func transcript(name: String) throws {
        let url = TestData.directory().appendingPathComponent(name)
        let file = TranscriptFile(text: try String(contentsOf: url, encoding: .utf8))
        var env = InteractionEnv()
        var outputs: [[String]] = []
        for part in file.parts {
            guard case .block(let command, let expected, let line) = part else { continue }
            let actual = env.run(command)
            outputs.append(actual)
            if !TestData.isRewriting {
                let message = "\(name):\(line): \(command)\n" + actual.joined(separator: "\n")
                #expect(actual == expected, Comment(rawValue: message))
            }
        }
        if TestData.isRewriting {
            try file.rendered(outputs: outputs).write(to: url, atomically: true, encoding: .utf8)
        }
    }
}

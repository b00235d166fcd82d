import Foundation
import KVStore
import Platform

// MVCCThroughput: puts per second into the MVCC store alone (no Raft, no HTTP, no disk),
// with the load of Benchmarks/compare.sh: random keys among 10,000, 256-byte values, all
// history kept. Every `snapshotEveryPuts` puts the store is copied, as the server does
// for a snapshot image, so copy-on-write of the key index is paid as in production.
// Run with `swift run -c release MVCCThroughput [puts]`; for a figure that does not move
// with the machine's load, count instructions: `valgrind --tool=callgrind
// .build/release/MVCCThroughput 200000` (the keys come from a fixed-seed generator, so
// every run does the same work).

let keyCount = 10_000
let valueBytes = 256
let snapshotEveryPuts = 100_000
let puts = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 500_000 : 500_000

var generator = SeededGenerator(seed: 0x526F_6F73_74)
let keys = (0..<keyCount).map { Array("k\(String($0 + 100_000_000))".utf8) }
let value = [UInt8](repeating: 0x61, count: valueBytes)
var store = MVCCStore()
var held: MVCCStore? = nil
let started = Date()
for put in 0..<puts {
    let key = keys[Int.random(in: 0..<keyCount, using: &generator)]
    _ = store.apply(.put(PutRequest(key: key, value: value)))
    if put % snapshotEveryPuts == 0 { held = store }
}
let seconds = Date().timeIntervalSince(started)
_ = held
print(
    "\(puts) puts in \(String(format: "%.2f", seconds)) s: "
        + "\(String(format: "%.0f", Double(puts) / seconds)) puts/s, "
        + "\(String(format: "%.2f", seconds * 1e9 / Double(puts) / 1000)) us/put")

import RoostClient

#if canImport(Glibc)
    import Glibc
#endif

/// `roost`: the server and its command-line client in one binary.
let words = Array(CommandLine.arguments.dropFirst())
let code: Int32
do {
    code = try Command.run(words)
} catch {
    FileOutput.standardError.write("roost: \(error)\n")
    code = error.exitCode
}
exit(code)

import Platform

/// Whole-file reads with a size limit, for resource files, templates and `confd.toml`.
enum ConfdFiles {
    enum ReadError: Error, Equatable, CustomStringConvertible {
        case notFound
        case tooLarge(limit: Int)
        case system(Errno)

        var description: String {
            switch self {
            case .notFound: "no such file"
            case .tooLarge(let limit): "file is larger than \(limit) bytes"
            case .system(let errno): "\(errno)"
            }
        }
    }

    /// Reads all of `path`, refusing files above `bytesMax`.
    static func read(_ path: String, bytesMax: Int) throws(ReadError) -> [UInt8] {
        let bytes: [UInt8]?
        do {
            bytes = try readLimited(path, bytesMax: bytesMax)
        } catch {
            throw error == .noSuchFile ? .notFound : .system(error)
        }
        guard let bytes else { throw .tooLarge(limit: bytesMax) }
        return bytes
    }

    /// The file's bytes, or nil if it holds more than `bytesMax`.
    private static func readLimited(_ path: String, bytesMax: Int) throws(Errno) -> [UInt8]? {
        let file = try File.open(path, options: [])
        defer { file.close() }
        let size = try file.sizeBytes()
        guard size <= bytesMax else { return nil }
        // One byte more than stat said, to notice a file that grew meanwhile.
        let bytes = try file.read(count: size + 1, at: 0)
        return bytes.count <= bytesMax ? bytes : nil
    }
}

import Platform

/// Reading one snapshot file back, verifying length and checksum.
extension SnapshotStore {
    func load(_ path: String) throws(StorageError) -> Snapshot {
        let file = try storageIO(path, "open snapshot") { () throws(Errno) in
            try File.open(path, options: [])
        }
        defer { file.close() }
        let size = try storageIO(path, "stat snapshot") { () throws(Errno) in
            try file.sizeBytes()
        }
        let headerBytes = try storageIO(path, "read snapshot") { () throws(Errno) in
            try file.read(count: min(size, SnapshotFileFormat.headerBytesMax), at: 0)
        }
        let header: SnapshotFileFormat.Header
        switch headerBytes.withUnsafeBytes({ SnapshotFileFormat.parseHeader($0) }) {
        case .success(let parsed): header = parsed
        case .failure(let reason): throw .corrupt(path: path, offset: 0, reason: reason.text)
        }
        try checkSize(header, fileBytes: size, path: path)
        let dataBytes = Int(header.dataBytes)
        let data = try storageIO(path, "read snapshot") { () throws(Errno) in
            try file.read(count: dataBytes, at: header.headerBytes)
        }
        let trailerOffset = header.headerBytes + dataBytes
        let trailer = try storageIO(path, "read snapshot") { () throws(Errno) in
            try file.read(count: SnapshotFileFormat.trailerBytes, at: trailerOffset)
        }
        var crc = CRC32C()
        crc.update(headerBytes[..<header.headerBytes])
        crc.update(data)
        let stored = trailer.withUnsafeBytes { StorageBytes.load(UInt32.self, from: $0, at: 0) }
        guard data.count == dataBytes, crc.value == stored else {
            throw .corrupt(
                path: path, offset: trailerOffset,
                reason: "checksum mismatch (stored \(stored), computed \(crc.value))")
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let expected = SnapshotFileFormat.fileName(header.metadata)
        guard name == expected else {
            throw .corrupt(
                path: path, offset: 16, reason: "header says \(expected), file name differs")
        }
        return Snapshot(metadata: header.metadata, data: data)
    }

    private func checkSize(_ header: SnapshotFileFormat.Header, fileBytes: Int, path: String)
        throws(StorageError)
    {
        guard header.dataBytes <= UInt64(dataBytesMax) else {
            throw .corrupt(
                path: path, offset: header.headerBytes - 8,
                reason: "data length \(header.dataBytes) exceeds dataBytesMax \(dataBytesMax)")
        }
        let expected = header.headerBytes + Int(header.dataBytes) + SnapshotFileFormat.trailerBytes
        guard expected == fileBytes else {
            throw .corrupt(
                path: path, offset: min(expected, fileBytes),
                reason: "file is \(fileBytes) bytes but its header implies \(expected)")
        }
    }
}

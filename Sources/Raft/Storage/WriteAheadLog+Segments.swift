import Platform

/// Writing batches and moving to a new segment.
extension WriteAheadLog {
    /// Encodes `records` as one batch into the reused buffer and writes it with one write(2)
    /// at the end of the current segment, moving to a new segment first if the batch would
    /// not fit (a batch never spans segments).
    func writeBatch(_ records: [WALRecord]) throws(StorageError) {
        var batchBytes = 0
        for record in records {
            let payloadBytes = record.payloadBytes
            guard payloadBytes <= options.recordPayloadBytesMax else {
                throw StorageError(
                    .limitExceeded(
                        what: "WAL record payload", bytes: payloadBytes,
                        limit: options.recordPayloadBytesMax))
            }
            batchBytes += WALFrame.frameBytes(payloadBytes: payloadBytes)
        }
        if offset + batchBytes > options.segmentBytes && offset > dataStartOffset {
            try rotate()
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(batchBytes)
        var crc = chainCRC
        for (position, record) in records.enumerated() {
            WALFrame.append(
                record, batchEnd: position == records.count - 1, to: &buffer, chainCRC: &crc)
        }
        do {
            try zeroAhead(past: offset + buffer.count)
            try current.write(buffer, at: offset)
        } catch {
            failure = "write to \(current.path) failed: \(error)"
            throw .io(error, path: current.path, operation: "write")
        }
        offset += buffer.count
        chainCRC = crc
        if buffer.capacity > options.bufferRetainedBytesMax { buffer = [] }
    }

    /// Before a batch ending at `end` is written: when it reaches past the zeroed space,
    /// zeroes the next `zeroAheadBytes` of preallocated space after it (never past the
    /// segment size, so the file does not grow), to be synced with the batch. Zeros read
    /// back as "no record" (`WALFrameDecoder`), exactly like space never written.
    private func zeroAhead(past end: Int) throws(Errno) {
        guard end > zeroedOffset else { return }
        let zeroEnd = min(end + options.zeroAheadBytes, options.segmentBytes)
        if zeroEnd > end {
            try current.write([UInt8](repeating: 0, count: zeroEnd - end), at: end)
        }
        zeroedOffset = max(zeroEnd, end)
    }

    /// Syncs the full segment, then creates the next one (etcd `wal.cut`). Any failure
    /// poisons the log: the on-disk state is then only known to a fresh `open`.
    func rotate() throws(StorageError) {
        try sync()
        guard let last = segments.last else { preconditionFailure("a WAL without segments") }
        let name = WALSegmentName(sequence: last.name.sequence + 1, firstIndex: lastIndex + 1)
        do {
            let created = try WriteAheadLog.createSegment(
                directory: directory, directoryLock: directoryLock, name: name,
                content: SegmentContent(
                    previousCRC: chainCRC, hardState: hardState, snapshot: snapshot),
                options: options)
            current.close()
            current = created.file
            offset = created.endOffset
            zeroedOffset = created.endOffset
            dataStartOffset = created.endOffset
            chainCRC = created.chainCRC
            segments.append(Segment(name: name, path: created.file.path, maxEntryIndex: nil))
        } catch {
            failure = "creating segment \(name.fileName) failed: \(error)"
            throw error
        }
    }

    /// What a new segment starts with, besides its header: the chain value it continues and
    /// the current HardState and newest snapshot marker, so deleting older segments never
    /// loses them (etcd writes the state record at the start of every segment).
    struct SegmentContent {
        var previousCRC: UInt32
        var hardState: HardState
        var snapshot: SnapshotMetadata?
    }

    struct CreatedSegment {
        var file: File
        var endOffset: Int
        var chainCRC: UInt32
    }

    /// Creates a segment as "<name>.tmp": preallocates it, writes the first batch, fsyncs,
    /// renames it to its final name and fsyncs the directory, so a crash leaves either no
    /// segment or a complete one (a leftover .tmp is deleted by `open`).
    static func createSegment(
        directory: String, directoryLock: File, name: WALSegmentName,
        content: SegmentContent, options: WALOptions
    ) throws(StorageError) -> CreatedSegment {
        let path = directory + "/" + name.fileName
        let temporaryPath = path + ".tmp"
        var bytes: [UInt8] = []
        var crc = content.previousCRC
        let header = WALSegmentHeader(
            sequence: name.sequence, firstIndex: name.firstIndex,
            previousCRC: content.previousCRC)
        WALFrame.append(.segmentHeader(header), batchEnd: false, to: &bytes, chainCRC: &crc)
        if let snapshot = content.snapshot {
            WALFrame.append(.snapshot(snapshot), batchEnd: false, to: &bytes, chainCRC: &crc)
        }
        WALFrame.append(.hardState(content.hardState), batchEnd: true, to: &bytes, chainCRC: &crc)
        try storageIO(temporaryPath, "create segment") { () throws(Errno) in
            try File.removeIfPresent(temporaryPath)
            let file = try File.open(temporaryPath, options: [.readWrite, .create, .exclusive])
            defer { file.close() }
            try file.preallocate(bytes: max(options.segmentBytes, bytes.count))
            try file.write(bytes, at: 0)
            try file.synchronize()
            try File.rename(temporaryPath, to: path)
        }
        try storageIO(directory, "fsync directory") { () throws(Errno) in
            try directoryLock.synchronize()
        }
        let file = try storageIO(path, "open segment") { () throws(Errno) in
            try File.open(path, options: [.readWrite])
        }
        return CreatedSegment(file: file, endOffset: bytes.count, chainCRC: crc)
    }
}

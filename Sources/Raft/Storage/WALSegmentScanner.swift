/// Checks one segment's bytes and feeds its complete batches to a `WALReplay`.
///
/// Tail policy (reliability.md §5.1/§5.2; PAR, FAST'18): a record that fails its check is a
/// torn final write only if it is in the LAST segment and no valid record follows it; the
/// bytes from the last complete batch on are then discarded. Anything else (a bad record in
/// an older segment, or one followed by a valid record) is corruption of data that may have
/// been acknowledged, and is refused with its file and offset, never truncated.
///
/// Known limit, stated openly as hashicorp/raft-wal does: if the kernel wrote out pages of an
/// unsynced batch out of order and the machine crashed, a valid record can follow a torn one;
/// that is refused too (safe, but needs an operator), because it cannot be told apart from
/// corruption without persist records kept elsewhere (CTRL, PAR §3.3).
enum WALSegmentScanner {
    struct Result {
        var header: WALSegmentHeader
        /// The end of the last complete batch: appends continue here.
        var committedOffset: Int
        /// The chain value at `committedOffset`.
        var committedCRC: UInt32
        /// The highest entry index in this segment, if it holds entries.
        var maxEntryIndex: UInt64?
        /// True if bytes after `committedOffset` must be cleared (a torn final write).
        var tornTail: Bool
    }

    struct Input {
        var path: String
        var name: WALSegmentName
        /// The chain value the previous segment ended with; nil for the oldest segment kept.
        var previousCRC: UInt32?
        var isLast: Bool
        var payloadBytesMax: Int
    }

    static func scan(
        _ bytes: UnsafeRawBufferPointer, _ input: Input, replay: inout WALReplay
    ) throws(StorageError) -> Result {
        var decoder = WALFrameDecoder(chainCRC: 0, payloadBytesMax: input.payloadBytesMax)
        var offset = 0
        var pending: [(WALRecord, Int)] = []
        var result: Result?
        var stopReason: String?
        while stopReason == nil {
            if offset == bytes.count { break }
            switch decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .record(let record, let batchEnd, let consumedBytes):
                if offset == 0 {
                    result = try startSegment(record, input)
                } else {
                    pending.append((record, offset))
                }
                offset += consumedBytes
                guard batchEnd, var committed = result else { continue }
                for (record, recordOffset) in pending {
                    let location = WALReplay.Location(path: input.path, offset: recordOffset)
                    if let problem = replay.apply(record, at: location) {
                        throw .corrupt(path: input.path, offset: recordOffset, reason: problem)
                    }
                    if case .entry(let entry) = record {
                        committed.maxEntryIndex = max(committed.maxEntryIndex ?? 0, entry.index)
                    }
                }
                pending.removeAll()
                committed.committedOffset = offset
                committed.committedCRC = decoder.chainCRC
                result = committed
            case .endOfRecords:
                let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
                stopReason = StorageBytes.isAllZero(rest) ? "" : "zeros where a record was expected"
            case .needMore(let totalBytes):
                stopReason =
                    "incomplete record: it needs \(totalBytes) bytes but the file "
                    + "ends \(bytes.count - offset) bytes after its start"
            case .invalid(let reason):
                stopReason = reason
            }
        }
        guard var segment = result, segment.committedOffset > 0 else {
            throw .corrupt(
                path: input.path, offset: 0,
                reason: "unreadable segment header: \(stopReason ?? "no complete first batch")")
        }
        if pending.isEmpty && (stopReason ?? "").isEmpty { return segment }
        let badOffset = offset
        let reason =
            stopReason.flatMap { $0.isEmpty ? nil : $0 }
            ?? "the last batch was never completed"
        let seeds = [decoder.chainCRC, segment.committedCRC]
        if let valid = firstValidRecord(bytes, after: badOffset, seeds: seeds, input) {
            throw .corrupt(
                path: input.path, offset: badOffset,
                reason: "\(reason); a valid record follows at offset \(valid), "
                    + "so this is not a torn final write")
        }
        guard input.isLast else {
            throw .corrupt(
                path: input.path, offset: badOffset,
                reason: "\(reason) (not the last segment, so not a torn final write)")
        }
        segment.tornTail = true
        return segment
    }

    private static func startSegment(_ record: WALRecord, _ input: Input) throws(StorageError)
        -> Result
    {
        guard case .segmentHeader(let header) = record else {
            throw .corrupt(path: input.path, offset: 0, reason: "first record is not a header")
        }
        guard header.sequence == input.name.sequence,
            header.firstIndex == input.name.firstIndex
        else {
            throw .corrupt(
                path: input.path, offset: 0,
                reason: "header says sequence \(header.sequence), first index "
                    + "\(header.firstIndex), which does not match the file name")
        }
        if let previousCRC = input.previousCRC, previousCRC != header.previousCRC {
            throw .corrupt(
                path: input.path, offset: 0,
                reason: "checksum chain broken: the previous segment ends with CRC "
                    + "\(previousCRC) but this one continues from \(header.previousCRC)")
        }
        return Result(
            header: header, committedOffset: 0, committedCRC: 0, maxEntryIndex: nil,
            tornTail: false)
    }

    /// The offset of the first frame after `start` whose checksum verifies against the chain:
    /// seeded with one of `seeds`, with the stored CRC of the failed frame at `start`, or with
    /// that of a well-formed frame that ends exactly where it begins.
    static func firstValidRecord(
        _ bytes: UnsafeRawBufferPointer, after start: Int, seeds: [UInt32], _ input: Input
    ) -> Int? {
        let limit = input.payloadBytesMax
        var seedAtEnd: [Int: UInt32] = [:]
        var seeds = seeds
        let first = UnsafeRawBufferPointer(rebasing: bytes[start...])
        if let header = WALFrameDecoder.header(first, payloadBytesMax: limit) {
            seeds.append(header.storedCRC)
            seedAtEnd[start + header.frameBytes] = header.storedCRC
        }
        var position = start + WALFrame.alignmentBytes
        while position + WALFrame.headerBytes <= bytes.count {
            defer { position += WALFrame.alignmentBytes }
            let here = UnsafeRawBufferPointer(rebasing: bytes[position...])
            guard let header = WALFrameDecoder.header(here, payloadBytesMax: limit) else {
                continue
            }
            let candidates = seeds + (seedAtEnd[position].map { [$0] } ?? [])
            for seed in candidates {
                var decoder = WALFrameDecoder(chainCRC: seed, payloadBytesMax: limit)
                if case .record = decoder.decode(here) { return position }
            }
            seedAtEnd[position + header.frameBytes] = header.storedCRC
        }
        return nil
    }
}

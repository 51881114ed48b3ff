import Dispatch
import Glibc

/// Reads CSV files (RFC 4180) into typed, column-wise tables.
///
/// - A header row is required; names are trimmed of ASCII spaces and must be unique and non-empty.
/// - Fields may be quoted (`""` escapes a quote; delimiters and newlines may appear inside quotes).
///   Spaces around a quoted field are allowed. Line ends are LF or CRLF; a UTF-8 BOM and trailing
///   blank lines are ignored.
/// - Every field is trimmed of ASCII spaces (unless the delimiter is a space). A column is numeric
///   when each of its non-null fields is a number, otherwise categorical (dictionary-encoded).
/// - Large files without any quote character are parsed on `options.threads` threads, split at
///   line starts; files containing a quote are parsed on one thread.
public struct CSVReader: Sendable {
    /// How fields are split and which field texts count as null.
    public struct Options: Sendable {
        /// The field separator (`,` by default). Must not be `"`, CR or LF.
        public var delimiter: UInt8
        /// Field texts that mean "no value", matched after trimming ASCII spaces.
        public var nullTokens: Set<String>
        /// How many threads may parse one file (at least 1).
        public var threads: Int

        /// Creates options; by default comma-separated, null tokens `""`, `NA`, `N/A`, `null`,
        /// `NULL`, `NaN`, `nan`, and two threads.
        public init(
            delimiter: UInt8 = UInt8(ascii: ","),
            nullTokens: Set<String> = ["", "NA", "N/A", "null", "NULL", "NaN", "nan"],
            threads: Int = 2
        ) {
            self.delimiter = delimiter
            self.nullTokens = nullTokens
            self.threads = threads
        }
    }

    /// The options this reader uses.
    public var options: Options

    /// Smallest byte range worth a thread of its own (tests lower it to exercise splitting).
    var minBytesPerChunk = 1 << 20

    /// Creates a reader with the given options.
    public init(options: Options = .init()) {
        self.options = options
    }

    /// Reads one file.
    ///
    /// Columns whose every non-null field parses as a number are numeric, the rest categorical;
    /// names in `forceCategorical` are always categorical (their numeric-looking text kept verbatim).
    /// - Throws: ``CSVError`` naming the file and, where it applies, the line.
    public func read(path: String, forceCategorical: Set<String> = []) throws(CSVError) -> CSVTable {
        try read(path: path, forceCategorical: forceCategorical, onlyColumns: nil)
    }

    /// Reads CSV text held in memory; `name` stands for the path in errors.
    ///
    /// Columns whose every non-null field parses as a number are numeric, the rest categorical;
    /// names in `forceCategorical` are always categorical (their numeric-looking text kept verbatim).
    /// - Throws: ``CSVError`` naming `name` and, where it applies, the line.
    public func read(bytes: [UInt8], name: String, forceCategorical: Set<String> = []) throws(CSVError) -> CSVTable {
        try bytes.withUnsafeBufferPointer { (buffer) throws(CSVError) -> CSVTable in
            try parse(buffer, name: name, forceCategorical: forceCategorical, onlyColumns: nil)
        }
    }

    /// Reads one file, keeping only the columns named in `onlyColumns` (all when `nil`).
    func read(path: String, forceCategorical: Set<String>, onlyColumns: Set<String>?) throws(CSVError) -> CSVTable {
        try withFileBytes(path: path) { (buffer) throws(CSVError) -> CSVTable in
            try parse(buffer, name: path, forceCategorical: forceCategorical, onlyColumns: onlyColumns)
        }
    }

    func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, name: String, forceCategorical: Set<String>, onlyColumns: Set<String>?
    ) throws(CSVError) -> CSVTable {
        let d = options.delimiter
        if d == ASCII.quote || d == ASCII.lf || d == ASCII.cr {
            throw CSVError(path: name, line: nil, message: "invalid delimiter byte \(d)")
        }
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw CSVError(path: name, line: 1, message: "file is empty; a header row is required")
        }
        let job = ParseJob(
            name: name, options: options, minBytesPerChunk: minBytesPerChunk,
            forceCategorical: forceCategorical, onlyColumns: onlyColumns)
        return try job.run(base, base + buffer.count)
    }
}

// MARK: - File access

/// Calls `body` with the file's bytes: memory-mapped for a regular file, read otherwise.
private func withFileBytes<R>(
    path: String, _ body: (UnsafeBufferPointer<UInt8>) throws(CSVError) -> R
) throws(CSVError) -> R {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw CSVError(path: path, line: nil, message: "cannot open file: \(errnoMessage())")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
        throw CSVError(path: path, line: nil, message: "cannot read file: \(errnoMessage())")
    }
    if info.st_mode & S_IFMT == S_IFREG && info.st_size > 0 {
        let size = Int(info.st_size)
        if let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED {
            defer { munmap(mapped, size) }
            let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
            return try body(bytes)
        }
    }
    // Not mappable (pipe, device, empty file...): read it whole.
    var storage: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw CSVError(path: path, line: nil, message: "cannot read file: \(errnoMessage())")
        }
        if n == 0 { break }
        storage.append(contentsOf: chunk[0..<n])
    }
    return try storage.withUnsafeBufferPointer { (buffer) throws(CSVError) -> R in try body(buffer) }
}

private func errnoMessage() -> String {
    String(cString: strerror(errno))
}

// MARK: - Parsing

private enum ASCII {
    static let quote: UInt8 = 0x22
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
}

private enum ColumnKind: UInt8 {
    case skip, numeric, categorical
}

/// One file's parse: header, chunking, chunk parsers, assembly.
private struct ParseJob {
    let name: String
    let options: CSVReader.Options
    let minBytesPerChunk: Int
    let forceCategorical: Set<String>
    let onlyColumns: Set<String>?

    func run(_ fileStart: UnsafePointer<UInt8>, _ fileEnd: UnsafePointer<UInt8>) throws(CSVError) -> CSVTable {
        var start = fileStart
        var end = fileEnd
        if end - start >= 3 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF { start += 3 }
        // Blank trailing lines (also lines of spaces, unless spaces delimit) carry no data.
        while true {
            while end > start && (end[-1] == ASCII.lf || end[-1] == ASCII.cr) { end -= 1 }
            guard options.delimiter != ASCII.space else { break }
            var q = end
            while q > start && q[-1] == ASCII.space { q -= 1 }
            guard q < end, q > start, q[-1] == ASCII.lf else { break }
            end = q
        }
        guard end > start else {
            throw CSVError(path: name, line: 1, message: "file is empty; a header row is required")
        }
        let config = TokenizerConfig(name: name, options: options)
        let tokenizer = Tokenizer(config: config, end: end)

        // Header.
        var p = start
        var line = 1
        var names: [String] = []
        var seen: [String: Int] = [:]
        while true {
            let fieldLine = line
            let (s, n) = try tokenizer.scanField(&p, &line)
            guard let header = String(validating: UnsafeBufferPointer(start: s, count: n), as: UTF8.self) else {
                throw CSVError(path: name, line: fieldLine, message: "column \(names.count + 1) header is not valid UTF-8")
            }
            if header.isEmpty {
                throw CSVError(path: name, line: fieldLine, message: "column \(names.count + 1) has an empty header name")
            }
            if let previous = seen[header] {
                throw CSVError(
                    path: name, line: fieldLine,
                    message: "duplicate column name '\(header)' (columns \(previous + 1) and \(names.count + 1))")
            }
            seen[header] = names.count
            names.append(header)
            if p < end && p.pointee == config.delimiter {
                p += 1
                continue
            }
            if p < end { p += (p.pointee == ASCII.cr && p + 1 < end) ? 2 : 1 }
            line += 1
            break
        }
        let kinds: [ColumnKind] = names.map { header in
            if let only = onlyColumns, !only.contains(header) { return .skip }
            return forceCategorical.contains(header) ? .categorical : .numeric
        }

        // Split the data rows into chunks at line starts. That is only right when no quote can make a
        // newline part of a field, so split chunks stop at the first quote they meet, and then the data
        // is parsed again on one thread.
        let dataStart = p
        let dataBytes = end - dataStart
        var bounds: [UnsafePointer<UInt8>] = [dataStart]
        let threads = max(1, options.threads)
        let wanted = min(threads, dataBytes / max(1, minBytesPerChunk))
        if wanted > 1 {
            for k in 1..<wanted {
                var cut = dataStart + dataBytes * k / wanted
                guard cut > bounds[bounds.count - 1], cut < end else { continue }
                guard let nl = memchr(cut, Int32(ASCII.lf), end - cut) else { break }
                cut = UnsafePointer(nl.assumingMemoryBound(to: UInt8.self)) + 1
                if cut < end && cut > bounds[bounds.count - 1] { bounds.append(cut) }
            }
        }
        bounds.append(end)
        var parsers = (0..<bounds.count - 1).map { k in
            ChunkParser(
                config: config, start: bounds[k], end: bounds[k + 1], kinds: kinds,
                firstLine: k == 0 ? line : 1, rejectQuotes: bounds.count > 2)
        }

        // Pass 1: tokenize and convert; numeric columns may turn categorical on the way.
        do {
            let splitParsers = parsers
            runConcurrently(splitParsers.count) { k in splitParsers[k].parseRows() }
        }
        if let stop = parsers.first(where: { $0.error != nil || $0.foundQuote }), stop.foundQuote {
            parsers = [
                ChunkParser(config: config, start: dataStart, end: end, kinds: kinds, firstLine: line, rejectQuotes: false)
            ]
            parsers[0].parseRows()
        }
        try firstError(parsers, headerLines: line - 1)
        let chunkCount = parsers.count

        // Final kinds: categorical if any chunk saw a non-number.
        let finalKinds = kinds.indices.map { c in
            kinds[c] == .numeric && parsers.contains(where: { $0.kind(of: c) == .categorical }) ? .categorical : kinds[c]
        }
        // Pass 2 (only when needed): encode rows that were read as numbers before a column turned categorical.
        let finalParsers = parsers
        runConcurrently(chunkCount) { k in finalParsers[k].finishCategorical(finalKinds) }
        try firstError(parsers, headerLines: line - 1)

        // Assembly: one column per task.
        let rowCount = parsers.reduce(0) { $0 + $1.rowCount }
        let selected = names.indices.filter { finalKinds[$0] != .skip }
        let results = UnsafeMutablePointer<CSVColumn?>.allocate(capacity: max(1, selected.count))
        results.initialize(repeating: nil, count: max(1, selected.count))
        defer {
            results.deinitialize(count: max(1, selected.count))
            results.deallocate()
        }
        let resultsAddress = SendablePointer(results)
        let headerNames = names
        runConcurrently(selected.count, threads: threads) { i in
            let c = selected[i]
            let slot = resultsAddress.pointer + i
            if finalKinds[c] == .numeric {
                slot.pointee = .numeric(
                    name: headerNames[c], values: assembleNumeric(finalParsers, column: c, rowCount: rowCount))
            } else {
                let (codes, dictionary) = assembleCategorical(finalParsers, column: c, rowCount: rowCount)
                slot.pointee = .categorical(name: headerNames[c], codes: codes, dictionary: dictionary)
            }
        }
        let columns = (0..<selected.count).map { results[$0]! }
        return CSVTable(columns: columns, rowCount: rowCount)
    }

    /// Rethrows the first chunk's error with its line made absolute.
    private func firstError(_ parsers: [ChunkParser], headerLines: Int) throws(CSVError) {
        var linesBefore = headerLines
        for (k, parser) in parsers.enumerated() {
            if var error = parser.error {
                if k > 0, let l = error.line {
                    error.line = l + linesBefore
                    if let fields = parser.errorFieldCount {
                        error.message = ChunkParser.fieldCountMessage(line: l + linesBefore, fields: fields, header: parser.columnCount)
                    }
                }
                throw error
            }
            // Chunks after the first exist only for quote-free data: one row per line.
            linesBefore += parser.rowCount
        }
    }

    private func assembleNumeric(_ parsers: [ChunkParser], column c: Int, rowCount: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            var offset = 0
            for parser in parsers {
                let n = parser.rowCount
                if n > 0, let source = parser.doubles(of: c) {
                    (buffer.baseAddress! + offset).initialize(from: source, count: n)
                }
                offset += n
            }
            initialized = rowCount
            for parser in parsers { parser.release(column: c) }
        }
    }

    /// Merges the chunks' local codes into one dictionary ordered by first appearance.
    private func assembleCategorical(
        _ parsers: [ChunkParser], column c: Int, rowCount: Int
    ) -> ([UInt32], [String]) {
        var strings: [String] = []
        var maps: [[UInt32]] = []
        let unassigned = UInt32.max
        let codes = [UInt32](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            var out = buffer.baseAddress!
            for (k, parser) in parsers.enumerated() {
                let n = parser.rowCount
                guard n > 0, let local = parser.codes(of: c), let dictionary = parser.dictionary(of: c) else {
                    if n > 0 { out.initialize(repeating: CSVColumn.nullCode, count: n) }
                    out += n
                    maps.append([])
                    continue
                }
                var map = [UInt32](repeating: unassigned, count: dictionary.count)
                map.withUnsafeMutableBufferPointer { map in
                    for r in 0..<n {
                        let code = local[r]
                        if code == CSVColumn.nullCode {
                            out[r] = code
                            continue
                        }
                        var mapped = map[Int(code)]
                        if mapped == unassigned {
                            // Seen in an earlier chunk?
                            let (s, len) = dictionary.bytes(of: code)
                            for j in 0..<k {
                                if let other = parsers[j].dictionary(of: c), let earlier = other.find(s, len) {
                                    mapped = maps[j][Int(earlier)]
                                    break
                                }
                            }
                            if mapped == unassigned {
                                mapped = UInt32(strings.count)
                                strings.append(dictionary.strings[Int(code)])
                            }
                            map[Int(code)] = mapped
                        }
                        out[r] = mapped
                    }
                }
                maps.append(map)
                out += n
            }
            initialized = rowCount
        }
        for parser in parsers { parser.release(column: c) }
        return (codes, strings)
    }
}

/// Runs `body(0..<count)` on up to `threads` threads (inline when there is one task).
private func runConcurrently(_ count: Int, threads: Int = .max, _ body: @Sendable (Int) -> Void) {
    if count == 1 || threads <= 1 {
        for i in 0..<count { body(i) }
    } else if count > 1 {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

/// A pointer handed to concurrent tasks that each write their own element.
private struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// Settings shared by every tokenizer of one parse.
private struct TokenizerConfig {
    let name: String
    let delimiter: UInt8
    let trimSpaces: Bool
    let nulls: NullMatcher

    init(name: String, options: CSVReader.Options) {
        self.name = name
        delimiter = options.delimiter
        trimSpaces = options.delimiter != ASCII.space
        nulls = NullMatcher(tokens: options.nullTokens, trimSpaces: trimSpaces)
    }
}

/// Recognizes null tokens by their bytes.
private struct NullMatcher {
    private let tokens: [[UInt8]]
    private let lengthMask: UInt64
    /// Bit b set when some token starts with a byte whose low 6 bits are b.
    private let firstByteMask: UInt64
    /// Some token reads as a number, so numeric fields must be checked against the tokens first.
    let hasNumericToken: Bool

    init(tokens raw: Set<String>, trimSpaces: Bool) {
        var tokens: [[UInt8]] = []
        var mask: UInt64 = 0
        var firstBytes: UInt64 = 0
        var numeric = false
        for token in raw {
            var bytes = Array(token.utf8)
            if trimSpaces {
                while bytes.last == ASCII.space { bytes.removeLast() }
                while bytes.first == ASCII.space { bytes.removeFirst() }
            }
            if tokens.contains(bytes) { continue }
            mask |= bytes.count < 63 ? 1 << UInt64(bytes.count) : 1 << 63
            if let first = bytes.first { firstBytes |= 1 << UInt64(first & 63) }
            if !bytes.isEmpty, bytes.withUnsafeBufferPointer({ b in
                FloatParser.parse(b.baseAddress!, b.baseAddress! + b.count) != nil
            }) {
                numeric = true
            }
            tokens.append(bytes)
        }
        self.tokens = tokens
        lengthMask = mask
        firstByteMask = firstBytes
        hasNumericToken = numeric
    }

    @inline(__always)
    func matches(_ s: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let bit: UInt64 = n < 63 ? 1 << UInt64(n) : 1 << 63
        if lengthMask & bit == 0 { return false }
        if n > 0 && firstByteMask & (1 << UInt64(s.pointee & 63)) == 0 { return false }
        return matchesSlow(s, n)
    }

    @inline(never)
    private func matchesSlow(_ s: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for token in tokens where token.count == n {
            if n == 0 { return true }
            let equal = token.withUnsafeBufferPointer { memcmp($0.baseAddress!, s, n) == 0 }
            if equal { return true }
        }
        return false
    }
}

/// Splits fields; owns the scratch buffer that unescaped quoted fields are copied into.
private final class Tokenizer {
    let config: TokenizerConfig
    let end: UnsafePointer<UInt8>
    /// Stop at any quote (set for a chunk that starts at a guessed line start).
    let rejectQuotes: Bool
    /// Set when a quote stopped a tokenizer that rejects quotes.
    private(set) var foundQuote = false
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 256

    init(config: TokenizerConfig, end: UnsafePointer<UInt8>, rejectQuotes: Bool = false) {
        self.config = config
        self.end = end
        self.rejectQuotes = rejectQuotes
        scratch = .allocate(capacity: 256)
    }

    deinit { scratch.deallocate() }

    /// Scans the field at `p`, leaving `p` at its terminator: `end`, the delimiter, LF, or a CR that
    /// ends the line (followed by LF or at `end`). Returns the field text, unquoted and trimmed; the
    /// bytes stay valid until the next call. `line` advances past newlines inside quotes.
    @inline(__always)
    func scanField(
        _ p: inout UnsafePointer<UInt8>, _ line: inout Int
    ) throws(CSVError) -> (UnsafePointer<UInt8>, Int) {
        let end = self.end
        let delimiter = config.delimiter
        var q = p
        if config.trimSpaces { while q < end && q.pointee == ASCII.space { q += 1 } }
        if q < end && q.pointee == ASCII.quote {
            if rejectQuotes { throw quoteStop(line) }
            return try scanQuoted(&p, q, &line)
        }
        let s = q
        // Skip 8 bytes at a time while none is special (delimiter, LF, CR or quote).
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        while end - q >= 8 {
            let word = UnsafeRawPointer(q).loadUnaligned(as: UInt64.self)
            let a = word ^ delimiters
            let b = word ^ (ones &* UInt64(ASCII.lf))
            let c = word ^ (ones &* UInt64(ASCII.cr))
            let d = word ^ (ones &* UInt64(ASCII.quote))
            let special = ((a &- ones) & ~a) | ((b &- ones) & ~b) | ((c &- ones) & ~c) | ((d &- ones) & ~d)
            let found = special & highs
            if found != 0 {
                q += found.trailingZeroBitCount >> 3
                break
            }
            q += 8
        }
        while q < end {
            let b = q.pointee
            if b == delimiter || b == ASCII.lf { break }
            if b == ASCII.cr {
                if q + 1 == end || q[1] == ASCII.lf { break }
            } else if b == ASCII.quote {
                if rejectQuotes { throw quoteStop(line) }
                throw CSVError(
                    path: config.name, line: line,
                    message: "stray quote inside an unquoted field (quote the whole field and double inner quotes)")
            }
            q += 1
        }
        p = q
        var e = q
        if config.trimSpaces { while e > s && e[-1] == ASCII.space { e -= 1 } }
        return (s, e - s)
    }

    private func quoteStop(_ line: Int) -> CSVError {
        foundQuote = true
        return CSVError(path: config.name, line: line, message: "quote in a split chunk")
    }

    @inline(never)
    private func scanQuoted(
        _ p: inout UnsafePointer<UInt8>, _ open: UnsafePointer<UInt8>, _ line: inout Int
    ) throws(CSVError) -> (UnsafePointer<UInt8>, Int) {
        let end = self.end
        let startLine = line
        let contentStart = open + 1
        var q = contentStart
        var escapes = false
        var contentEnd: UnsafePointer<UInt8>? = nil
        while q < end {
            let b = q.pointee
            if b == ASCII.quote {
                if q + 1 < end && q[1] == ASCII.quote {
                    escapes = true
                    q += 2
                    continue
                }
                contentEnd = q
                q += 1
                break
            }
            if b == ASCII.lf { line += 1 }
            q += 1
        }
        guard let contentEnd else {
            line = startLine
            throw CSVError(path: config.name, line: startLine, message: "unterminated quoted field")
        }
        if config.trimSpaces { while q < end && q.pointee == ASCII.space { q += 1 } }
        if q < end {
            let b = q.pointee
            let terminates = b == config.delimiter || b == ASCII.lf
                || (b == ASCII.cr && (q + 1 == end || q[1] == ASCII.lf))
            if !terminates {
                throw CSVError(path: config.name, line: line, message: "unexpected character after closing quote")
            }
        }
        p = q
        var s = contentStart
        var n = contentEnd - contentStart
        if escapes {
            if n > scratchCapacity {
                scratch.deallocate()
                scratchCapacity = n
                scratch = .allocate(capacity: n)
            }
            var r = contentStart
            var w = scratch
            while r < contentEnd {
                let b = r.pointee
                w.pointee = b
                w += 1
                r += b == ASCII.quote ? 2 : 1
            }
            s = UnsafePointer(scratch)
            n = w - scratch
        }
        if config.trimSpaces {
            while n > 0 && s.pointee == ASCII.space { s += 1; n -= 1 }
            while n > 0 && s[n - 1] == ASCII.space { n -= 1 }
        }
        return (s, n)
    }
}

/// Per-column state of one chunk.
private struct ChunkColumn {
    var kind: ColumnKind
    var doubles: UnsafeMutablePointer<Double>?
    var codes: UnsafeMutablePointer<UInt32>?
    /// For a column that turned categorical: rows below this were read as numbers.
    var pendingRows = 0
    var dictionary: ByteDictionary?
}

/// Parses the rows of one byte range into per-column buffers.
private final class ChunkParser: @unchecked Sendable {
    let config: TokenizerConfig
    let tokenizer: Tokenizer
    let start: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    let columnCount: Int
    let columns: UnsafeMutablePointer<ChunkColumn>
    let firstLine: Int
    private(set) var capacity: Int
    private(set) var rowCount = 0
    private(set) var error: CSVError?
    /// Set when `error` is a wrong field count (its message names the line, which may need rebasing).
    private(set) var errorFieldCount: Int?

    init(
        config: TokenizerConfig, start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, kinds: [ColumnKind],
        firstLine: Int, rejectQuotes: Bool
    ) {
        self.config = config
        self.tokenizer = Tokenizer(config: config, end: end, rejectQuotes: rejectQuotes)
        self.start = start
        self.end = end
        self.firstLine = firstLine
        columnCount = kinds.count
        // Estimate the row count from the first 64 KiB; buffers grow if it is short.
        let bytes = end - start
        let sample = min(bytes, 1 << 16)
        var newlines = 0
        for i in 0..<sample where start[i] == ASCII.lf { newlines += 1 }
        var estimate = newlines == 0 ? 16 : Int(Double(bytes) * Double(newlines) / Double(sample) * 1.05) + 64
        // A row takes at least one byte per column (delimiters and the line end).
        estimate = max(16, min(estimate, bytes / max(1, kinds.count) + 2))
        capacity = estimate
        columns = .allocate(capacity: max(1, kinds.count))
        for (c, kind) in kinds.enumerated() {
            var column = ChunkColumn(kind: kind)
            switch kind {
            case .numeric: column.doubles = .allocate(capacity: estimate)
            case .categorical:
                column.codes = .allocate(capacity: estimate)
                column.dictionary = ByteDictionary()
            case .skip: break
            }
            (columns + c).initialize(to: column)
        }
    }

    deinit {
        for c in 0..<columnCount {
            release(column: c)
            columns[c].dictionary?.release()
        }
        columns.deinitialize(count: columnCount)
        columns.deallocate()
    }

    /// Whether this chunk stopped at a quote (its rows must then be parsed on one thread).
    var foundQuote: Bool { tokenizer.foundQuote }

    func kind(of c: Int) -> ColumnKind { columns[c].kind }
    func doubles(of c: Int) -> UnsafePointer<Double>? { columns[c].doubles.map { UnsafePointer($0) } }
    func codes(of c: Int) -> UnsafePointer<UInt32>? { columns[c].codes.map { UnsafePointer($0) } }
    func dictionary(of c: Int) -> ByteDictionary? { columns[c].dictionary }

    /// Frees a column's buffers (after assembly).
    func release(column c: Int) {
        columns[c].doubles?.deallocate()
        columns[c].doubles = nil
        columns[c].codes?.deallocate()
        columns[c].codes = nil
    }

    private func grow() {
        let newCapacity = capacity + capacity / 2 + 1024
        for c in 0..<columnCount {
            if let d = columns[c].doubles {
                let raw = realloc(d, newCapacity * MemoryLayout<Double>.stride)!
                columns[c].doubles = raw.bindMemory(to: Double.self, capacity: newCapacity)
            }
            if let k = columns[c].codes {
                let raw = realloc(k, newCapacity * MemoryLayout<UInt32>.stride)!
                columns[c].codes = raw.bindMemory(to: UInt32.self, capacity: newCapacity)
            }
        }
        capacity = newCapacity
    }

    /// Pass 1; on failure stores `error` (line relative to `firstLine`'s numbering).
    func parseRows() {
        do {
            try parseRowsThrowing()
        } catch {
            self.error = error
        }
    }

    private func parseRowsThrowing() throws(CSVError) {
        let end = self.end
        let delimiter = config.delimiter
        let trim = config.trimSpaces
        let fused = !config.nulls.hasNumericToken
        let nulls = config.nulls
        let lastColumn = columnCount - 1
        let tokenizer = self.tokenizer
        let columns = self.columns
        var p = start
        var line = firstLine
        var row = 0
        var capacity = self.capacity
        defer { rowCount = row }
        while p < end {
            if row == capacity {
                grow()
                capacity = self.capacity
            }
            let rowLine = line
            var c = 0
            while true {
                let column = columns + c
                switch column.pointee.kind {
                case .numeric:
                    if fused {
                        var q = p
                        if trim { while q < end && q.pointee == ASCII.space { q += 1 } }
                        var value = 0.0
                        if var t = FloatParser.parsePrefix(q, end, &value) {
                            if trim { while t < end && t.pointee == ASCII.space { t += 1 } }
                            if t == end || t.pointee == delimiter || t.pointee == ASCII.lf
                                || (t.pointee == ASCII.cr && (t + 1 == end || t[1] == ASCII.lf)) {
                                column.pointee.doubles.unsafelyUnwrapped[row] = value
                                p = t
                                break
                            }
                        }
                    }
                    let fieldLine = line
                    let (s, n) = try tokenizer.scanField(&p, &line)
                    if nulls.matches(s, n) {
                        column.pointee.doubles.unsafelyUnwrapped[row] = .nan
                    } else if let value = FloatParser.parse(s, s + n) {
                        column.pointee.doubles.unsafelyUnwrapped[row] = value
                    } else {
                        turnCategorical(c, atRow: row)
                        column.pointee.codes.unsafelyUnwrapped[row] = try encode(c, s, n, line: fieldLine)
                    }
                case .categorical:
                    let fieldLine = line
                    let (s, n) = try tokenizer.scanField(&p, &line)
                    column.pointee.codes.unsafelyUnwrapped[row] =
                        nulls.matches(s, n) ? CSVColumn.nullCode : try encode(c, s, n, line: fieldLine)
                case .skip:
                    _ = try tokenizer.scanField(&p, &line)
                }
                // Field terminator.
                if c == lastColumn {
                    if p == end { break }
                    let b = p.pointee
                    if b == ASCII.lf {
                        p += 1
                        line += 1
                        break
                    }
                    if b == ASCII.cr {
                        p += p + 1 < end ? 2 : 1
                        line += 1
                        break
                    }
                    throw fieldCountError(from: p, line: &line, rowLine: rowLine, counted: columnCount)
                }
                if p < end && p.pointee == delimiter {
                    p += 1
                    c += 1
                    continue
                }
                throw fieldCountError(line: rowLine, fields: c + 1)
            }
            row += 1
        }
    }

    private func fieldCountError(
        from position: UnsafePointer<UInt8>, line: inout Int, rowLine: Int, counted: Int
    ) -> CSVError {
        var p = position
        var fields = counted
        while p < end && p.pointee == config.delimiter {
            p += 1
            fields += 1
            do { _ = try tokenizer.scanField(&p, &line) } catch { break }
        }
        return fieldCountError(line: rowLine, fields: fields)
    }

    private func fieldCountError(line: Int, fields: Int) -> CSVError {
        errorFieldCount = fields
        return CSVError(
            path: config.name, line: line,
            message: Self.fieldCountMessage(line: line, fields: fields, header: columnCount))
    }

    static func fieldCountMessage(line: Int, fields: Int, header: Int) -> String {
        "line \(line) has \(fields) field\(fields == 1 ? "" : "s"), header has \(header)"
    }

    private func turnCategorical(_ c: Int, atRow row: Int) {
        columns[c].doubles?.deallocate()
        columns[c].doubles = nil
        columns[c].codes = .allocate(capacity: capacity)
        columns[c].kind = .categorical
        columns[c].pendingRows = row
        columns[c].dictionary?.release()
        columns[c].dictionary = ByteDictionary()
    }

    @inline(__always)
    private func encode(_ c: Int, _ s: UnsafePointer<UInt8>, _ n: Int, line: Int) throws(CSVError) -> UInt32 {
        guard let code = columns[c].dictionary!.code(s, n) else {
            throw CSVError(path: config.name, line: line, message: "invalid UTF-8 in a value of column \(c + 1)")
        }
        return code
    }

    /// Pass 2: makes every column whose final kind is categorical fully encoded, re-reading the
    /// rows that were taken as numbers.
    func finishCategorical(_ finalKinds: [ColumnKind]) {
        guard error == nil else { return }
        var pending = [Int](repeating: 0, count: columnCount)
        for c in 0..<columnCount where finalKinds[c] == .categorical {
            if columns[c].kind == .numeric {
                turnCategorical(c, atRow: rowCount)
            }
            pending[c] = columns[c].pendingRows
            columns[c].pendingRows = 0
        }
        let rows = pending.max() ?? 0
        guard rows > 0 else { return }
        do {
            try rescan(rows: rows, pending: pending)
        } catch {
            self.error = error
        }
    }

    private func rescan(rows: Int, pending: [Int]) throws(CSVError) {
        let nulls = config.nulls
        var p = start
        var line = firstLine
        for row in 0..<rows {
            let rowLine = line
            for c in 0..<columnCount {
                let fieldLine = line
                let (s, n) = try tokenizer.scanField(&p, &line)
                if row < pending[c] {
                    columns[c].codes.unsafelyUnwrapped[row] =
                        nulls.matches(s, n) ? CSVColumn.nullCode : try encode(c, s, n, line: fieldLine)
                }
                let terminated = p == end || p.pointee != config.delimiter
                if terminated != (c == columnCount - 1) {
                    throw CSVError(path: config.name, line: rowLine, message: "file changed while being read")
                }
                if !terminated { p += 1 }
            }
            if p < end {
                p += p.pointee == ASCII.cr && p + 1 < end ? 2 : 1
                line += 1
            }
        }
    }
}

/// A hash table from field bytes to dense codes, with the decoded strings in code order.
///
/// A struct over manually managed buffers, so that it can live in a chunk's column storage and be
/// updated in place without reference counting or exclusivity checks; call `release()` once.
private struct ByteDictionary {
    struct Entry {
        var offset: Int
        var length: Int
        var hash: UInt64
    }

    private(set) var strings: [String] = []
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity = 1024
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity = 32
    /// code + 1 per slot, 0 when empty.
    private var slots: UnsafeMutablePointer<UInt32>
    private var mask = 63

    var count: Int { strings.count }

    init() {
        arena = .allocate(capacity: 1024)
        entries = .allocate(capacity: 32)
        slots = .allocate(capacity: 64)
        slots.initialize(repeating: 0, count: 64)
    }

    func release() {
        arena.deallocate()
        entries.deallocate()
        slots.deallocate()
    }

    func bytes(of code: UInt32) -> (UnsafePointer<UInt8>, Int) {
        let entry = entries[Int(code)]
        return (UnsafePointer(arena + entry.offset), entry.length)
    }

    @inline(__always)
    static func hash(_ s: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        let raw = UnsafeRawPointer(s)
        var i = 0
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(s[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// The code of an existing entry, if any.
    func find(_ s: UnsafePointer<UInt8>, _ n: Int) -> UInt32? {
        let h = Self.hash(s, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            let entry = entries[Int(slot - 1)]
            if entry.hash == h && entry.length == n && Self.equal(arena + entry.offset, s, n) {
                return slot - 1
            }
            i = (i + 1) & mask
        }
    }

    /// The code for these bytes, adding an entry when new; `nil` if new and not valid UTF-8.
    @inline(__always)
    mutating func code(_ s: UnsafePointer<UInt8>, _ n: Int) -> UInt32? {
        let h = Self.hash(s, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            let entry = entries[Int(slot - 1)]
            if entry.hash == h && entry.length == n && Self.equal(arena + entry.offset, s, n) {
                return slot - 1
            }
            i = (i + 1) & mask
        }
        return insert(s, n, hash: h, slot: i)
    }

    @inline(never)
    private mutating func insert(_ s: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, slot: Int) -> UInt32? {
        guard let string = makeString(s, n) else { return nil }
        if arenaCount + n > arenaCapacity {
            let newCapacity = max(arenaCapacity * 2, arenaCount + n)
            arena = realloc(arena, newCapacity)!.bindMemory(to: UInt8.self, capacity: newCapacity)
            arenaCapacity = newCapacity
        }
        let code = strings.count
        if code == entryCapacity {
            entryCapacity *= 2
            entries = realloc(entries, entryCapacity * MemoryLayout<Entry>.stride)!
                .bindMemory(to: Entry.self, capacity: entryCapacity)
        }
        (arena + arenaCount).update(from: s, count: n)
        (entries + code).initialize(to: Entry(offset: arenaCount, length: n, hash: h))
        arenaCount += n
        strings.append(string)
        slots[slot] = UInt32(code + 1)
        if strings.count * 2 > mask + 1 { rehash() }
        return UInt32(code)
    }

    private mutating func rehash() {
        let newSize = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: newSize)
        slots.initialize(repeating: 0, count: newSize)
        mask = newSize - 1
        for code in 0..<strings.count {
            var i = Int(truncatingIfNeeded: entries[code].hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = UInt32(code + 1)
        }
    }
}

/// A `String` from bytes that must be valid UTF-8 (`nil` otherwise); ASCII takes a fast path.
private func makeString(_ s: UnsafePointer<UInt8>, _ n: Int) -> String? {
    var ascii = true
    var i = 0
    let raw = UnsafeRawPointer(s)
    while i + 8 <= n {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
            ascii = false
            break
        }
        i += 8
    }
    while ascii && i < n {
        if s[i] >= 0x80 { ascii = false }
        i += 1
    }
    if ascii {
        return String(unsafeUninitializedCapacity: n) { buffer in
            if n > 0 { buffer.baseAddress!.initialize(from: s, count: n) }
            return n
        }
    }
    return String(validating: UnsafeBufferPointer(start: s, count: n), as: UTF8.self)
}

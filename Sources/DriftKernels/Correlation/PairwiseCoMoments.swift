/// Co-moments of every pair of k numeric columns, each pair over its own complete rows (both values non-null and
/// finite): what a baseline stores so that a later check can compare each pair's correlation (``FisherZTest``)
/// without the baseline rows.
///
/// Pair (i, j), i < j, is a two-dimensional ``CoMoments`` (count, both means, Σ(xᵢ − x̄ᵢ)², Σ(xⱼ − x̄ⱼ)²,
/// Σ(xᵢ − x̄ᵢ)(xⱼ − x̄ⱼ)), stored in row-major upper-triangle order (0,1), (0,2), …, (0,k−1), (1,2), ….
///
/// The kernel walks the rows in chunks of ``chunkRows`` starting at row 0 (the result depends on the values and
/// the chunk size only, never on how the caller assembled the columns). Per chunk each column is widened to
/// float64 once; a column without null or non-finite values in the chunk is centred on its chunk mean once, and a
/// pair of such columns costs one SIMD dot product. A pair touching a column with gaps in the chunk takes a
/// masked two-pass path (count and means over the pair's complete rows, then centred sums). Chunks merge into
/// each pair with Chan's update. Cost: O(rows · k²/2) multiply-adds, chunk data L2-resident (k = 32:
/// 32 × 4 KB).
public struct PairwiseCoMoments: Sendable, Equatable {
    /// A column as the kernel reads it: NaN, ±inf or a cleared validity bit leaves the row out of every pair that
    /// involves this column.
    public enum Column {
        case float32(UnsafeBufferPointer<Float>, validity: ValidityBitmap?)
        case float64(UnsafeBufferPointer<Double>, validity: ValidityBitmap?)

        var count: Int {
            switch self {
            case .float32(let v, _): v.count
            case .float64(let v, _): v.count
            }
        }

        var validity: ValidityBitmap? {
            switch self {
            case .float32(_, let v), .float64(_, let v): v
            }
        }
    }

    /// Rows per chunk (512 rows × 8 bytes × 32 columns = 128 KB of scratch: L2-resident).
    public static let chunkRows = 512

    public let dimension: Int
    /// k(k − 1)/2 two-dimensional co-moments, upper triangle in row-major order.
    public let pairs: [CoMoments]

    /// Index of pair (i, j), i < j, in ``pairs``.
    public static func pairIndex(_ i: Int, _ j: Int, dimension k: Int) -> Int {
        precondition(0 <= i && i < j && j < k, "pair (\(i), \(j)) outside \(k) columns")
        return i * (2 * k - i - 1) / 2 + (j - i - 1)
    }

    /// Co-moments of columns i and j (i ≠ j), in that order: `means[0]` is column i's.
    public func pair(_ i: Int, _ j: Int) -> CoMoments {
        if i < j { return pairs[Self.pairIndex(i, j, dimension: dimension)] }
        let p = pairs[Self.pairIndex(j, i, dimension: dimension)]
        let c = p.comoments
        return try! CoMoments(count: p.count, means: [p.means[1], p.means[0]], comoments: [c[3], c[2], c[1], c[0]])
    }

    /// From stored parts.
    /// - Throws: `invalidArgument` unless there are k(k − 1)/2 pairs, each two-dimensional.
    public init(dimension: Int, pairs: [CoMoments]) throws(KernelError) {
        guard dimension >= 0, pairs.count == dimension * Swift.max(0, dimension - 1) / 2,
              pairs.allSatisfy({ $0.dimension == 2 })
        else { throw KernelError(.invalidArgument, "\(pairs.count) pairs do not fit \(dimension) columns") }
        self.dimension = dimension
        self.pairs = pairs
    }

    /// Co-moments of every pair of equally long columns.
    /// - Throws: `invalidArgument` when the columns (or their validity bitmaps) differ in length.
    public init(columns: [Column]) throws(KernelError) {
        let k = columns.count
        let rows = columns.first?.count ?? 0
        for c in columns {
            guard c.count == rows else { throw KernelError(.invalidArgument, "co-moment columns differ in length") }
            if let v = c.validity, v.count != rows {
                throw KernelError(.invalidArgument, "a validity bitmap of \(v.count) rows for a column of \(rows)")
            }
        }
        let pairCount = k * Swift.max(0, k - 1) / 2
        var state = [_PairState](repeating: _PairState(), count: pairCount)
        let chunk = Self.chunkRows
        let values = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, k * chunk))
        let masks = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, k * chunk))
        defer { values.deallocate(); masks.deallocate() }
        var clean = [Bool](repeating: true, count: k)
        var shift = [Double](repeating: 0, count: k)  // what was subtracted from a column's stored values
        var squares = [Double](repeating: 0, count: k)
        var start = 0
        while start < rows {
            let length = Swift.min(chunk, rows - start)
            for c in 0..<k {
                let x = values + c * chunk, w = masks + c * chunk
                let valid: Int
                switch columns[c] {
                case .float32(let v, let validity): valid = _loadChunk(v, validity, start, length, x, w)
                case .float64(let v, let validity): valid = _loadChunk(v, validity, start, length, x, w)
                }
                clean[c] = valid == length
                shift[c] = 0
                if clean[c] {
                    let mean = _sum(x, length) / Double(length)
                    for r in 0..<length { x[r] -= mean }
                    shift[c] = mean
                    squares[c] = _dot(x, x, length)
                }
            }
            var p = 0
            for i in 0..<k {
                for j in (i + 1)..<Swift.max(i + 1, k) {
                    let xi = values + i * chunk, xj = values + j * chunk
                    if clean[i] && clean[j] {
                        state[p].merge(count: length, meanX: shift[i], meanY: shift[j], cxx: squares[i], cyy: squares[j],
                                       cxy: _dot(xi, xj, length))
                    } else {
                        _maskedPair(xi, masks + i * chunk, shift[i], xj, masks + j * chunk, shift[j], length, &state[p])
                    }
                    p += 1
                }
            }
            start += length
        }
        dimension = k
        pairs = state.map { s in
            try! CoMoments(count: s.count, means: [s.meanX, s.meanY], comoments: [s.cxx, s.cxy, s.cxy, s.cyy])
        }
    }

    /// The plain twin: each pair by ``CoMoments/init(columns:)`` (Welford, one complete row at a time; NaN and
    /// ±inf rows skipped). Equal to the kernel up to rounding.
    public static func scalarReference(columns: [[Double]]) throws(KernelError) -> PairwiseCoMoments {
        let k = columns.count
        var pairs: [CoMoments] = []
        for i in 0..<k {
            for j in (i + 1)..<Swift.max(i + 1, k) { pairs.append(try CoMoments(columns: [columns[i], columns[j]])) }
        }
        return try PairwiseCoMoments(dimension: k, pairs: pairs)
    }
}

/// One pair's running co-moments.
struct _PairState {
    var count = 0
    var meanX = 0.0, meanY = 0.0
    var cxx = 0.0, cyy = 0.0, cxy = 0.0

    /// Chan's update with a chunk's co-moments (the same formula as ``CoMoments/merged(with:)``).
    @inline(__always)
    mutating func merge(count nb: Int, meanX mxb: Double, meanY myb: Double, cxx cxxb: Double, cyy cyyb: Double,
                        cxy cxyb: Double) {
        if nb == 0 { return }
        if count == 0 {
            (count, meanX, meanY, cxx, cyy, cxy) = (nb, mxb, myb, cxxb, cyyb, cxyb)
            return
        }
        let na = Double(count), n = na + Double(nb)
        let dx = mxb - meanX, dy = myb - meanY
        let f = na * Double(nb) / n
        meanX += dx * Double(nb) / n
        meanY += dy * Double(nb) / n
        cxx = cxx + cxxb + dx * dx * f
        cyy = cyy + cyyb + dy * dy * f
        cxy = cxy + cxyb + dx * dy * f
        count += nb
    }
}

/// Widens rows start ..< start + length into `x` (0 where the row is not usable) with a 1/0 mask in `w`;
/// returns the number of usable (valid and finite) rows.
@inline(__always)
func _loadChunk<T: DriftFloat>(_ v: UnsafeBufferPointer<T>, _ validity: ValidityBitmap?, _ start: Int, _ length: Int,
                               _ x: UnsafeMutablePointer<Double>, _ w: UnsafeMutablePointer<Double>) -> Int {
    var valid = 0
    for r in 0..<length {
        let value = Double(v[start + r])
        let ok = value.isFinite && (validity?.isValid(start + r) ?? true)
        x[r] = ok ? value : 0
        w[r] = ok ? 1 : 0
        valid &+= ok ? 1 : 0
    }
    return valid
}

/// Σ x[r] over `length` values (four SIMD4 accumulators).
@inline(__always)
func _sum(_ x: UnsafeMutablePointer<Double>, _ length: Int) -> Double {
    var a0 = SIMD4<Double>(), a1 = SIMD4<Double>()
    let raw = UnsafeRawPointer(x)
    var r = 0
    while r + 8 <= length {
        a0 += raw.loadUnaligned(fromByteOffset: r * 8, as: SIMD4<Double>.self)
        a1 += raw.loadUnaligned(fromByteOffset: r * 8 + 32, as: SIMD4<Double>.self)
        r += 8
    }
    var s = (a0 + a1).sum()
    while r < length { s += x[r]; r += 1 }
    return s
}

/// Σ x[r]·y[r] over `length` values (two SIMD4 FMA chains).
@inline(__always)
func _dot(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ length: Int) -> Double {
    var a0 = SIMD4<Double>(), a1 = SIMD4<Double>()
    let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
    var r = 0
    while r + 8 <= length {
        a0.addProduct(rx.loadUnaligned(fromByteOffset: r * 8, as: SIMD4<Double>.self),
                      ry.loadUnaligned(fromByteOffset: r * 8, as: SIMD4<Double>.self))
        a1.addProduct(rx.loadUnaligned(fromByteOffset: r * 8 + 32, as: SIMD4<Double>.self),
                      ry.loadUnaligned(fromByteOffset: r * 8 + 32, as: SIMD4<Double>.self))
        r += 8
    }
    var s = (a0 + a1).sum()
    while r < length { s += x[r] * y[r]; r += 1 }
    return s
}

/// One chunk of a pair over its complete rows (mask product), in two passes, merged into `state`. `x` holds
/// values minus `shiftX` (0 at unusable rows).
@inline(__always)
func _maskedPair(_ x: UnsafeMutablePointer<Double>, _ wx: UnsafeMutablePointer<Double>, _ shiftX: Double,
                 _ y: UnsafeMutablePointer<Double>, _ wy: UnsafeMutablePointer<Double>, _ shiftY: Double,
                 _ length: Int, _ state: inout _PairState) {
    var n = 0.0, sx = 0.0, sy = 0.0
    for r in 0..<length {
        let w = wx[r] * wy[r]
        n += w
        sx += w * x[r]
        sy += w * y[r]
    }
    guard n > 0 else { return }
    let mx = sx / n, my = sy / n
    var cxx = 0.0, cyy = 0.0, cxy = 0.0
    for r in 0..<length {
        let w = wx[r] * wy[r]
        let dx = w * (x[r] - mx), dy = w * (y[r] - my)
        cxx += dx * dx
        cyy += dy * dy
        cxy += dx * dy
    }
    state.merge(count: Int(n), meanX: mx + shiftX, meanY: my + shiftY, cxx: cxx, cyy: cyy, cxy: cxy)
}

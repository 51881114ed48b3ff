/// Mergeable co-moments of k numeric features: count, means and Σ(xᵢ − x̄ᵢ)(xⱼ − x̄ⱼ), from which the Pearson
/// correlation matrix follows. Rows with a null (NaN) in any of the k features are skipped (complete cases),
/// so the matrix is positive semi-definite and merging stays exact: `a.merged(with: b)` equals the co-moments
/// of the concatenated rows up to rounding (Chan's update generalised to covariances).
public struct CoMoments: Sendable, Equatable {
    public let dimension: Int
    public private(set) var count: Int = 0
    public private(set) var means: [Double]
    /// Row-major k × k matrix of co-moments (symmetric).
    public private(set) var comoments: [Double]

    public init(dimension: Int) {
        self.dimension = dimension
        means = [Double](repeating: 0, count: dimension)
        comoments = [Double](repeating: 0, count: dimension * dimension)
    }

    /// Co-moments from stored parts (a decoder, or a kernel that accumulates them another way). The floats are
    /// taken as they are, bit for bit.
    /// - Throws: `invalidArgument` for a negative count or arrays that are not `dimension` means and a
    ///   `dimension × dimension` matrix.
    public init(count: Int, means: [Double], comoments: [Double]) throws(KernelError) {
        guard count >= 0, comoments.count == means.count * means.count else {
            throw KernelError(.invalidArgument, "co-moments need a count ≥ 0, k means and a k × k matrix")
        }
        dimension = means.count
        self.count = count
        self.means = means
        self.comoments = comoments
    }

    /// Co-moments of equally long columns.
    /// - Throws: `invalidArgument` when the columns differ in length.
    /// - Complexity: O(n · k²).
    public init(columns: [[Double]]) throws(KernelError) {
        self.init(dimension: columns.count)
        guard let rows = columns.first?.count else { return }
        guard columns.allSatisfy({ $0.count == rows }) else {
            throw KernelError(.invalidArgument, "co-moment columns differ in length")
        }
        var row = [Double](repeating: 0, count: dimension)
        for r in 0..<rows {
            var complete = true
            for c in 0..<dimension {
                row[c] = columns[c][r]
                if !row[c].isFinite { complete = false }
            }
            if complete { add(row: row) }
        }
    }

    /// Adds one complete row (Welford's update for covariances).
    public mutating func add(row: [Double]) {
        precondition(row.count == dimension)
        count += 1
        let n = Double(count)
        var delta = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            delta[i] = row[i] - means[i]
            means[i] += delta[i] / n
        }
        for i in 0..<dimension {
            let after = row[i] - means[i]
            for j in 0..<dimension { comoments[i * dimension + j] += after * delta[j] }
        }
    }

    /// Co-moments of the union of both row sets.
    public func merged(with other: CoMoments) -> CoMoments {
        precondition(dimension == other.dimension)
        if other.count == 0 { return self }
        if count == 0 { return other }
        var r = CoMoments(dimension: dimension)
        let na = Double(count), nb = Double(other.count), n = na + nb
        r.count = count + other.count
        var delta = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            delta[i] = other.means[i] - means[i]
            r.means[i] = means[i] + delta[i] * nb / n
        }
        for i in 0..<dimension {
            for j in 0..<dimension {
                let idx = i * dimension + j
                r.comoments[idx] = comoments[idx] + other.comoments[idx] + delta[i] * delta[j] * na * nb / n
            }
        }
        return r
    }

    /// Pearson correlation of features `i` and `j`.
    /// - Throws: `undefined` when either feature is constant over the complete rows (or fewer than 2 rows).
    public func correlation(_ i: Int, _ j: Int) throws(KernelError) -> Double {
        let cii = comoments[i * dimension + i], cjj = comoments[j * dimension + j]
        guard count >= 2, cii > 0, cjj > 0 else {
            throw KernelError(.undefined, "correlation undefined: a feature is constant or has fewer than 2 rows")
        }
        let r = comoments[i * dimension + j] / (cii * cjj).squareRoot()
        return Swift.min(1, Swift.max(-1, r))
    }

    /// The correlation matrix, `nil` where undefined.
    public var correlationMatrix: [[Double?]] {
        (0..<dimension).map { i in (0..<dimension).map { j in try? correlation(i, j) } }
    }
}

/// The floating-point element types a numeric column can hold (`Float` for float32, `Double` for float64).
///
/// Kernels are written once, generically, and specialised inside this module; public entry points are
/// concrete so callers in other modules get the specialised code. The SIMD block kernels are protocol
/// requirements implemented per type (`Float+SIMDKernels.swift`, `Double+SIMDKernels.swift`, and the rank-block
/// kernels of ``IndexedSortedSample`` in `Float+RankKernels.swift`, `Double+RankKernels.swift`): Swift resolves
/// `SIMD16<T>` operators in generic code to lane-by-lane loops, even after specialisation, so vector code must
/// be written against the concrete vector type.
public protocol DriftFloat: BinaryFloatingPoint, SIMDScalar, Sendable, Codable {
    /// Sum, minimum, maximum and Σ(x − mean)² of `count` values at `p` (a multiple of 32, at most
    /// `_simdBlock`), or `nil` when one of them is NaN or ±inf (the caller then takes the scalar path).
    static func _blockMoments(_ p: UnsafeRawPointer, count: Int) -> _BlockMoments?

    /// Writes, for `_binBlock` values at `p`, the number of `edges` `<=` each value into `index`, and returns
    /// how many of the values are NaN (they compare false with every edge, so their index is 0).
    static func _blockBinIndices(_ p: UnsafeRawPointer, edges: UnsafeBufferPointer<Self>,
                                 into index: UnsafeMutablePointer<Int32>) -> Int

    /// How many of the 32 values at `p` are `<=` `x` (0 for NaN `x`; NaN entries never count): level 2 of the
    /// KS-grid counting kernel.
    static func _countAtOrBelow32(_ p: UnsafeRawPointer, _ x: Self) -> Int

    /// How many of the `_rankBlock` values at `p` are `< x` (`p` readable for `_rankBlock` values).
    static func _rankBlockCount(_ p: UnsafePointer<Self>, below x: Self) -> Int

    /// How many of the `_rankBlock` values at `p` are `<= x`.
    static func _rankBlockCount(_ p: UnsafePointer<Self>, atOrBelow x: Self) -> Int

    /// How many of the `_rankBlock` values at `p` are `< x` and how many `<= x` (one load, one reduction).
    static func _rankBlockCounts(_ p: UnsafePointer<Self>, _ x: Self) -> (below: Int, atOrBelow: Int)

    /// The float64 sum of `p[k] − pivot` over the first `count` of the `_rankBlock` values at `p` (0 ≤ count ≤
    /// `_rankBlock`; all of them are read).
    static func _rankBlockPrefixSum(_ p: UnsafePointer<Self>, count: Int, pivot: Double) -> Double
}

/// Values per block of an ``IndexedSortedSample`` (one SIMD compare-and-count; 64 bytes of float32).
public var _rankBlock: Int { 16 }

/// Values per SIMD block in the profile kernel.
public let _simdBlock = 1024

/// Values per SIMD block in the binning kernel (its bin indices are staged in a small buffer).
public let _binBlock = 256

/// Moments of one SIMD block: sum, extremes, and Σ(x − mean)² (exact up to float rounding).
public struct _BlockMoments {
    public var sum: Double
    public var minimum: Double
    public var maximum: Double
    public var m2: Double

    /// Σ(x − m)² from Σ(x − c)² around a rounded centre c: subtract n (m − c)².
    @inline(__always)
    init(count: Int, sum: Double, minimum: Double, maximum: Double, m2AroundCentre: Double, centre: Double) {
        self.sum = sum
        self.minimum = minimum
        self.maximum = maximum
        let shift = sum / Double(count) - centre
        m2 = Swift.max(0, m2AroundCentre - Double(count) * shift * shift)
    }

    /// False when the block's float sums overflowed (huge values): the caller then takes the scalar path.
    var isFinite: Bool { sum.isFinite && m2.isFinite }
}

extension Float: DriftFloat {}
extension Double: DriftFloat {}

/// The one error type of the statistics kernels.
///
/// Kernels never crash and never return a silent NaN: an input on which a statistic is not defined (no values,
/// a constant column where a ratio needs spread, mismatched lengths) throws a `KernelError` whose `code` says why.
public struct KernelError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// Not enough non-null values for the statistic (for example an all-null column).
        case insufficientData
        /// Arguments that contradict each other (lengths, bin counts, codes out of range).
        case invalidArgument
        /// The statistic is mathematically undefined for this data (for example correlation of a constant).
        case undefined
    }
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

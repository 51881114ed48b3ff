/// One feature's values in one simulated window (or baseline): float64 values with NaN as null, or category codes.
enum SimulatedColumn {
    case numeric([Double])
    /// Codes into a dictionary of `dictionarySize` categories (the baseline's 8, plus any new ones appended).
    case categorical([UInt32], dictionarySize: Int)
}

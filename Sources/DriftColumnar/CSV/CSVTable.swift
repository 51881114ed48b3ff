/// A parsed CSV file: its columns in header order, each holding `rowCount` values.
public struct CSVTable: Sendable {
    /// The columns, in the file's header order.
    public var columns: [CSVColumn]
    /// The number of data rows (the header is not counted).
    public var rowCount: Int

    /// Creates a table from columns that each hold `rowCount` values.
    public init(columns: [CSVColumn], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }

}

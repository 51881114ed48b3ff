/// One feature's part of a ``WindowState``.
enum WindowFeatureSummary: Sendable {
    case numeric(WindowNumericSummary)
    case categorical(WindowCategorySummary)
}

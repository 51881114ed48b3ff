import DriftClient
import DriftColumnar
import DriftLoad
import DriftWire

/// Reading a CSV file for a source: its definition from the server, the file mapped onto its features.
enum TableInput {
    /// Fetches `source`'s definition and maps `path` onto its features (exits 2 on any problem). With
    /// `eventTimeColumn`, a monitoring event-time column that is not a feature travels too (as timestamp_ms).
    static func load(source: String, path: String, client: DriftClient, server: ServerOptions,
                     eventTimeColumn: Bool = false) -> TableColumns {
        var spec = server.call { () throws(DriftClientError) in try client.getSource(source) }.source
        if eventTimeColumn, let column = spec.monitoring?.eventTimeColumn, !column.isEmpty,
           !spec.features.contains(where: { $0.name == column }) {
            spec.features.append(FeatureSpec(name: column, type: FeatureType.timestampMs.wireValue))
        }
        let table: CSVTable
        do { table = try CSVReader().read(path: path, forceCategorical: TableColumns.categoricalNames(of: spec)) } catch {
            Output.fail(error.description)
        }
        let columns: TableColumns
        do { columns = try TableColumns(table: table, source: spec, fileName: path) } catch { Output.fail(error.message) }
        if !columns.ignoredColumns.isEmpty {
            Output.warn("ignoring columns that are not features of \(source): " + columns.ignoredColumns.joined(separator: ", "))
        }
        return columns
    }
}

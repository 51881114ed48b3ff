import DriftClient
import DriftColumnar
import DriftLoad
import DriftWire

/// Reading a CSV file for a source: its definition from the server, the file mapped onto its features.
enum TableInput {
    /// Fetches `source`'s definition and maps `path` onto its features (exits 2 on any problem).
    static func load(source: String, path: String, client: DriftClient, server: ServerOptions) -> TableColumns {
        let spec = server.call { () throws(DriftClientError) in try client.getSource(source) }.source
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

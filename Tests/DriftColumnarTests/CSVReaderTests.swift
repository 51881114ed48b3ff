import DriftTestSupport
import Foundation
import Testing

@testable import DriftColumnar

@Suite("CSV reader")
struct CSVReaderTests: CSVTestHelpers {
    // MARK: - Basics

    @Test func numericAndCategoricalColumns() throws {
        let table = try parse("id,x,label\n1,0.5,a\n2,-1.25e2,b\n3,,a\n")
        #expect(table.rowCount == 3)
        #expect(table.columns.map(\.name) == ["id", "x", "label"])
        #expect(numbers(column(table, "id")) == [1, 2, 3])
        #expect(sameBits(numbers(column(table, "x")), [0.5, -125, .nan]))
        guard case .categorical(_, let codes, let dictionary)? = column(table, "label") else {
            Issue.record("label should be categorical")
            return
        }
        #expect(dictionary == ["a", "b"])
        #expect(codes == [0, 1, 0])
        #expect(table.columns.allSatisfy { $0.count == 3 })
    }

    @Test func lineEndingsBOMAndTrailingLinesAgree() throws {
        let variants = [
            "a,b\n1,x\n2,y\n",
            "a,b\n1,x\n2,y",
            "a,b\r\n1,x\r\n2,y\r\n",
            "a,b\r\n1,x\r\n2,y",
            "\u{FEFF}a,b\n1,x\n2,y\n",
            "a,b\n1,x\n2,y\n\n",
            "a,b\r\n1,x\r\n2,y\r\n\r\n\n",
            " a , b \n1 , x \n 2,  y\n",
            "a,b\n1,x\n2,y\n   \n\n  ",
            "a,b\r\n1,x\r\n2,y  \r\n  \r\n",
        ]
        for text in variants {
            let table = try parse(text)
            #expect(table.columns.map(\.name) == ["a", "b"], "\(text.debugDescription)")
            #expect(numbers(column(table, "a")) == [1, 2], "\(text.debugDescription)")
            #expect(strings(column(table, "b")) == ["x", "y"], "\(text.debugDescription)")
        }
    }

    @Test func quotedFields() throws {
        let text = "name,note,n\n\"Smith, J\",\"said \"\"hi\"\"\",\"3\"\n\"multi\nline\",\"\",4\n  \"spaced\"  ,plain,5\n"
        let table = try parse(text)
        #expect(table.rowCount == 3)
        #expect(strings(column(table, "name")) == ["Smith, J", "multi\nline", "spaced"])
        #expect(strings(column(table, "note")) == ["said \"hi\"", nil, "plain"])
        #expect(numbers(column(table, "n")) == [3, 4, 5])
    }

    @Test func quotedHeaderAndCRLFInsideQuotes() throws {
        let table = try parse("\"a,1\",\"b\"\"2\"\r\n\"x\r\ny\",2\r\n")
        #expect(table.columns.map(\.name) == ["a,1", "b\"2"])
        #expect(strings(column(table, "a,1")) == ["x\r\ny"])
    }

    @Test func headerOnlyAndSingleColumn() throws {
        let empty = try parse("a,b\n")
        #expect(empty.rowCount == 0)
        #expect(empty.columns.map(\.count) == [0, 0])
        let single = try parse("v\n1\n\n3\n")
        #expect(sameBits(numbers(column(single, "v")), [1, .nan, 3]))
    }

    @Test func numberForms() throws {
        let table = try parse(
            "v\n+1\n-2.5\n.5\n7.\n1e3\n-1E-2\n inf \n-Infinity\nINF\n0\n-0\n  42  \n1.5e+2\n\"8\"\n")
        #expect(sameBits(numbers(column(table, "v")), [
            1, -2.5, 0.5, 7, 1000, -0.01, .infinity, -.infinity, .infinity, 0, -0.0, 42, 150, 8,
        ]))
        for notNumber in ["1e", "0x10", "1.2.3", "--1", "1 2", "infinit", "e5", ".", "+", "1d", "١"] {
            let t = try parse("v\n1\n\(notNumber)\n")
            #expect(strings(column(t, "v")) == ["1", notNumber], "\(notNumber)")
        }
    }

    @Test func nullTokens() throws {
        let table = try parse("x,y\n1,a\nNA,NULL\n N/A ,null\nNaN,nan\n,\n2,b\n")
        #expect(sameBits(numbers(column(table, "x")), [1, .nan, .nan, .nan, .nan, 2]))
        #expect(strings(column(table, "y")) == ["a", nil, nil, nil, nil, "b"])

        let custom = CSVReader(options: .init(nullTokens: ["-999", "?"]))
        let t = try parse("x,y\n-999,?\n1,-999\n,a\n", reader: custom)
        #expect(strings(column(t, "x")) == [nil, "1", ""])  // "" is not null here
        #expect(strings(column(t, "y")) == [nil, nil, "a"])
        let t2 = try parse("x\n-999\n1\n -999 \n", reader: custom)
        #expect(sameBits(numbers(column(t2, "x")), [.nan, 1, .nan]))
    }

    @Test func allNullColumnIsNumeric() throws {
        let table = try parse("a,b\n,1\nNA,2\n")
        #expect(sameBits(numbers(column(table, "a")), [.nan, .nan]))
    }

    @Test func forceCategoricalKeepsText() throws {
        let table = try parse("zip,v\n01234,1.50\n 98765 ,2\nNA,3\n", forceCategorical: ["zip", "v", "missing"])
        #expect(strings(column(table, "zip")) == ["01234", "98765", nil])
        #expect(strings(column(table, "v")) == ["1.50", "2", "3"])
    }

    @Test func columnTurnsCategoricalLate() throws {
        var text = "a,b,c\n"
        for i in 0..<500 { text += "\(i),\(Double(i) / 4),x\(i % 3)\n" }
        text += "oops,1,x0\n"
        let table = try parse(text)
        let a = try #require(strings(column(table, "a")))
        #expect(a.count == 501)
        #expect(a[0] == "0" && a[499] == "499" && a[500] == "oops")
        guard case .categorical(_, let codes, let dictionary)? = column(table, "a") else { return }
        #expect(dictionary.first == "0")  // first-appearance order
        #expect(codes.prefix(3) == [0, 1, 2])
        #expect(numbers(column(table, "b"))?.last == 1)
    }

    @Test func otherDelimiters() throws {
        let tab = CSVReader(options: .init(delimiter: UInt8(ascii: "\t")))
        let t = try parse("a\tb\n1\tx y\n", reader: tab)
        #expect(strings(column(t, "b")) == ["x y"])
        let semi = CSVReader(options: .init(delimiter: UInt8(ascii: ";")))
        let s = try parse("a;b\n1,5;2\n", reader: semi)
        #expect(strings(column(s, "a")) == ["1,5"])
        #expect(numbers(column(s, "b")) == [2])
        let bad = CSVReader(options: .init(delimiter: UInt8(ascii: "\"")))
        #expect(parseError("a\n1\n", reader: bad) != nil)
    }

    // MARK: - Errors

    @Test func wrongFieldCounts() {
        let few = parseError("a,b,c,d\n1,2,3,4\n1,2,3\n")
        #expect(few == CSVError(path: "t.csv", line: 3, message: "line 3 has 3 fields, header has 4"))
        #expect(few?.description == "t.csv:3: line 3 has 3 fields, header has 4")
        let many = parseError("a,b\n1,2\n\"x\ny\",2\n1,2,3,\"4\"\n")
        #expect(many == CSVError(path: "t.csv", line: 5, message: "line 5 has 4 fields, header has 2"))
        let blank = parseError("a,b\n1,2\n\n3,4\n")
        #expect(blank?.line == 3)
        #expect(blank?.message == "line 3 has 1 field, header has 2")
    }

    @Test func quoteErrors() {
        let unterminated = parseError("a,b\n1,2\n3,\"abc\n4,5\n6,7\n")
        #expect(unterminated?.line == 3)
        #expect(unterminated?.message == "unterminated quoted field")
        let stray = parseError("a,b\n1,2\n3,ab\"c\n")
        #expect(stray?.line == 3)
        #expect(stray?.message.hasPrefix("stray quote") == true)
        let after = parseError("a,b\n\"x\n\"y,2\n")
        #expect(after?.line == 3)
        #expect(after?.message == "unexpected character after closing quote")
        let lineAfterMultiline = parseError("a,b\n\"x\n\ny\",2\n1,\"q\"x\n")
        #expect(lineAfterMultiline?.line == 5)
    }

    @Test func headerErrors() {
        #expect(parseError("a,b,a\n1,2,3\n")?.message == "duplicate column name 'a' (columns 1 and 3)")
        #expect(parseError("a, a \n1,2\n")?.line == 1)
        #expect(parseError("a,,c\n1,2,3\n")?.message == "column 2 has an empty header name")
        #expect(parseError("\n1,2\n")?.message == "column 1 has an empty header name")
        for empty in ["", "\n", "\r\n\r\n", "\u{FEFF}", "\u{FEFF}\n"] {
            let error = parseError(empty)
            #expect(error == CSVError(path: "t.csv", line: 1, message: "file is empty; a header row is required"))
        }
    }

    @Test func invalidUTF8() {
        let header = parseError(bytes: Array("a,".utf8) + [0xFF, 0x62] + Array("\n1,2\n".utf8))
        #expect(header?.line == 1)
        #expect(header?.message == "column 2 header is not valid UTF-8")
        let value = parseError(bytes: Array("a,b\n1,x\n2,".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(value?.line == 3)
        #expect(value?.message == "invalid UTF-8 in a value of column 2")
        // Found while re-reading rows of a column that turned categorical late.
        let late = parseError(bytes: Array("a\n".utf8) + [0xE2, 0x82] + Array("\n1\nx\n".utf8))
        #expect(late?.line == 2)
    }

    @Test func fileErrors() throws {
        let missing = "/nonexistent-dir-\(UUID().uuidString)/x.csv"
        #expect(throws: CSVError(path: missing, line: nil, message: "cannot open file: No such file or directory")) {
            _ = try CSVReader().read(path: missing)
        }
        let directory = FileManager.default.temporaryDirectory.path
        do {
            _ = try CSVReader().read(path: directory)
            Issue.record("reading a directory should fail")
        } catch {
            #expect(error.path == directory)
            #expect(error.message.contains("Is a directory"))
        }
        let emptyPath = temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: emptyPath) }
        #expect(throws: CSVError(path: emptyPath, line: 1, message: "file is empty; a header row is required")) {
            _ = try CSVReader().read(path: emptyPath)
        }
    }

    @Test func readsFromDisk() throws {
        let path = temporaryFile(Array("x,y\n1,a\n2,b\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader().read(path: path)
        #expect(numbers(column(table, "x")) == [1, 2])
        #expect(strings(column(table, "y")) == ["a", "b"])
        let bad = temporaryFile(Array("x,y\n1\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: bad) }
        do {
            _ = try CSVReader().read(path: bad)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(bad):2: line 2 has 1 field, header has 2")
        }
    }

    // MARK: - Threads

    @Test func splitParsingMatchesSingleThread() throws {
        var rng = SplitMix64(seed: 7)
        var text = "id,x,cat,late,mixed\r\n"
        let rows = 3000
        for i in 0..<rows {
            let x = Double(Int.random(in: -100_000...100_000, using: &rng)) / 1000
            let cat = ["red", "green", "blue", "NA", ""][Int.random(in: 0..<5, using: &rng)]
            let late = i == rows - 10 ? "late!" : "\(i % 7)"
            let mixed = i % 2 == 0 ? "\(i)" : "v\(i % 11)"
            text += "\(i),\(x),\(cat),\(late),\(mixed)\r\n"
        }
        let single = try parse(text, reader: CSVReader(options: .init(threads: 1)))
        for threads in [2, 3, 8] {
            let split = try parse(text, reader: splittingReader(threads: threads))
            #expect(tablesEqual(single, split), "threads \(threads)")
        }
        #expect(single.rowCount == rows)
        #expect(strings(column(single, "late"))?[rows - 10] == "late!")
        #expect(strings(column(single, "cat"))?.contains(nil) == true)
    }

    @Test func splitParsingReportsAbsoluteLines() {
        var text = "a,b\n"
        for i in 0..<1000 { text += "\(i),\(i)\n" }
        text += "1,2,3\n"
        for i in 0..<10 { text += "\(i),\(i)\n" }
        let error = parseError(text, reader: splittingReader())
        #expect(error == CSVError(path: "t.csv", line: 1002, message: "line 1002 has 3 fields, header has 2"))
        var utf8 = Array("a,b\n".utf8)
        for i in 0..<1000 { utf8 += Array("\(i),x\n".utf8) }
        utf8 += [0x31, 0x2C, 0xFF, 0x0A]
        let bad = parseError(bytes: utf8, reader: splittingReader())
        #expect(bad?.line == 1002)
    }

    // MARK: - Garbage in

    /// Reads `bytes` with every reader: each must return a consistent table or a CSVError, and the
    /// split readers must agree exactly with the single-threaded one.
    private func checkGarbage(_ bytes: [UInt8], _ readers: [CSVReader], _ outcomes: inout (tables: Int, errors: Int)) {
        var results: [Result<CSVTable, CSVError>] = []
        for reader in readers {
            do {
                let table = try reader.read(bytes: bytes, name: "g")
                #expect(table.columns.allSatisfy { $0.count == table.rowCount })
                results.append(.success(table))
                outcomes.tables += 1
            } catch {
                #expect(error.path == "g")
                results.append(.failure(error))
                outcomes.errors += 1
            }
        }
        for other in results.dropFirst() {
            switch (results[0], other) {
            case (.success(let a), .success(let b)): #expect(tablesEqual(a, b), "\(bytes)")
            case (.failure(let a), .failure(let b)): #expect(a == b, "\(bytes)")
            default: Issue.record("single and split readers disagree on \(bytes)")
            }
        }
    }

    @Test func garbageNeverCrashes() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array("a1,,\"\n\r .e-+9x".utf8) + [0xFF, 0xC3, 0xEF, 0xBB, 0xBF, 0x00]
        let readers = [CSVReader(), splittingReader(threads: 2, minBytes: 4), splittingReader(threads: 3, minBytes: 1)]
        var outcomes = (tables: 0, errors: 0)
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<80, using: &rng)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &rng)
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                    : UInt8.random(in: 0...255, using: &rng)
            }
            checkGarbage(bytes, readers, &outcomes)
        }
        // Random rows of plausible cells, sometimes with one byte corrupted.
        let cells = ["1", "-2.5", "NA", "", "x", "\"q,\nz\"", " 3 ", "1e5", "inf", "\"\"\"\"", "é", "0.1", "a b"]
        for _ in 0..<1500 {
            let columns = Int.random(in: 1...4, using: &rng)
            let quoteFree = Bool.random(using: &rng)
            var text = (0..<columns).map { "h\($0)" }.joined(separator: ",") + "\n"
            for r in 0..<Int.random(in: 0..<30, using: &rng) {
                let row = (0..<columns).map { _ in
                    let cell = cells[Int.random(in: 0..<cells.count, using: &rng)]
                    return quoteFree && cell.contains("\"") ? "w" : cell
                }
                text += row.joined(separator: ",") + (r % 3 == 0 ? "\r\n" : "\n")
            }
            var bytes = Array(text.utf8)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            }
            checkGarbage(bytes, readers, &outcomes)
        }
        // Truncations of a valid file at every length.
        let valid = Array("\u{FEFF}h1,\"h 2\",h3\r\n1,\"a,\"\"b\"\"\nc\",2.5\r\n-3, x ,\"\"\r\nNA,\"q\",1e5\n".utf8)
        for n in 0...valid.count {
            checkGarbage(Array(valid[0..<n]), readers, &outcomes)
        }
        #expect(outcomes.tables > 1000 && outcomes.errors > 1000)
    }

    @Test func splitParsingFallsBackOnQuotes() throws {
        var text = "a,b\n"
        for i in 0..<2000 { text += "\(i),x\(i % 5)\n" }
        // A quoted newline in the second half would fool a line-start split.
        text += "7,\"two\nlines\"\n"
        for i in 0..<2000 { text += "\(i),\"q,\(i % 3)\"\n" }
        let single = try parse(text, reader: CSVReader(options: .init(threads: 1)))
        let split = try parse(text, reader: splittingReader())
        #expect(tablesEqual(single, split))
        #expect(single.rowCount == 4001)
        #expect(strings(column(split, "b"))?[2000] == "two\nlines")
        // Errors after a quote are reported with the right line, too.
        let error = parseError(text + "1,2,3\n", reader: splittingReader())
        #expect(error?.line == 4004)
    }

    @Test func longAndOddFieldsRoundTrip() throws {
        var values: [String] = []
        for k in 0..<40 {
            values.append(String(repeating: "x", count: k) + "é" + String(repeating: "y", count: k % 9))
            values.append(String(repeating: "z", count: k) + "\r" + "w")  // a bare CR is data
        }
        let text = "v,n\n" + values.map { "\($0),1\n" }.joined()
        for reader in [CSVReader(), splittingReader(threads: 2, minBytes: 64)] {
            let table = try parse(text, reader: reader)
            #expect(strings(column(table, "v")) == values.map { Optional($0) })
            #expect(numbers(column(table, "n")) == Array(repeating: 1, count: values.count))
        }
    }
}

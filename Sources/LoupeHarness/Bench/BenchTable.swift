/// A plain-text table with right-aligned numeric columns.
package struct BenchTable {
    let headers: [String]
    private(set) var rows: [[String]] = []

    package init(_ headers: String...) {
        self.init(headers)
    }

    package init(_ headers: [String]) {
        self.headers = headers
    }

    package mutating func add(_ cells: String...) {
        add(cells)
    }

    package mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    package func render() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 0 ? cell.rightPadded(to: widths[column]) : cell.leftPadded(to: widths[column])
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    package func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    package func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

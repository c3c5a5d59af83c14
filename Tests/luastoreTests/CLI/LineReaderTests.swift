import Foundation
import Testing
@testable import luastore

/// ``LineReader`` over a file: lines longer than its 64 KiB read size, empty lines, and a
/// last line with no newline.
@Suite struct LineReaderTests {
    @Test func readsEveryLineAsBytes() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000) + [0xff, 0x00]
        let input = Array("first\n\n".utf8) + long + Array("\r\nlast".utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("luastore-lines-\(UUID().uuidString)")
        try Data(input).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let descriptor = open(url.path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }

        var reader = LineReader(descriptor: descriptor)
        var lines: [[UInt8]] = []
        while let line = reader.next() { lines.append(line) }
        #expect(lines == [Array("first".utf8), [], long + [UInt8(ascii: "\r")], Array("last".utf8)])
        #expect(reader.next() == nil)
    }
}

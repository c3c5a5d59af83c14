import Foundation
import LuaStore
import Synchronization
import Testing
@testable import luastore
import TestSupport

/// The load generator's pieces: placeholders, the histogram, the runner and its reports.
@Suite struct BenchmarkTests {
    @Test func randomPlaceholdersBecomeTwelveDigitsBelowTheKeyspace() throws {
        let template = try CommandTemplate(arguments: ["SET", "key:__rand_int__", "__rand_int__-__rand_int__"], keyspace: 1000, sha: nil)
        var random = SplitMix64(seed: 1)
        for _ in 0..<100 {
            let argv = template.makeArgv(using: &random).map(\.string)
            #expect(argv[0] == "SET")
            let key = argv[1].dropFirst(4)
            #expect(key.count == 12 && key.hasPrefix("000000000") && Int(key)! < 1000)
            let parts = argv[2].split(separator: "-")
            #expect(parts.count == 2 && parts.allSatisfy { $0.count == 12 })
        }
    }

    @Test func withoutKeyspaceThePlaceholderStays() throws {
        let template = try CommandTemplate(arguments: ["GET", "__rand_int__"], keyspace: nil, sha: nil)
        #expect(template.isConstant)
        var random = SplitMix64(seed: 1)
        #expect(template.makeArgv(using: &random).map(\.string) == ["GET", "__rand_int__"])
    }

    @Test func shaPlaceholderNeedsLoad() throws {
        #expect(throws: BenchmarkError.self) { try CommandTemplate(arguments: ["EVALSHA", "__sha__", "0"], keyspace: nil, sha: nil) }
        let template = try CommandTemplate(arguments: ["EVALSHA", "__sha__", "0"], keyspace: nil, sha: "abc")
        var random = SplitMix64(seed: 1)
        #expect(template.makeArgv(using: &random).map(\.string) == ["EVALSHA", "abc", "0"])
    }

    @Test func optionsParseLikeRedisBenchmarks() throws {
        let command = try BenchmarkCommand.parse(["-n", "10", "-c", "3", "-r", "100", "-P", "5", "-q", "--load", "s.lua", "SET", "k", "-q"])
        #expect(command.requests == 10 && command.threads == 3 && command.keyspace == 100 && command.pipeline == 5)
        #expect(command.quiet && !command.csv && command.scriptFile == "s.lua")
        // Everything after the command belongs to it, as with redis-benchmark.
        #expect(command.command == ["SET", "k", "-q"])
        #expect(throws: (any Error).self) { try BenchmarkCommand.parse(["-n", "10"]) }
        #expect(throws: (any Error).self) { try BenchmarkCommand.parse(["-c", "0", "PING"]) }
    }

    /// Answers SCRIPT LOAD with a fixed SHA or an error.
    struct ScriptLoadExecutor: CommandExecutor {
        let reply: Reply
        func execute(_ argv: [ByteString]) -> Reply {
            argv.prefix(2).map(\.string) == ["SCRIPT", "LOAD"] ? reply : .error("ERR unexpected")
        }
    }

    @Test func loadSendsScriptLoadWithTheFileContents() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("luastore-load-\(UUID().uuidString).lua")
        try Data("return 1".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try BenchmarkCommand.loadScript(url.path, into: ScriptLoadExecutor(reply: .bulk("e0e1f9fabfc9d4800c877a703b823ac0578ff8db")))
            == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
        #expect(throws: BenchmarkError.self) {
            try BenchmarkCommand.loadScript(url.path, into: ScriptLoadExecutor(reply: .error("ERR unknown command 'SCRIPT'")))
        }
        #expect(throws: BenchmarkError.self) { try BenchmarkCommand.loadScript("/nonexistent/x.lua", into: ScriptLoadExecutor(reply: .ok)) }
    }

    @Test func histogramBucketsStayWithinOnePercent() {
        for value: UInt64 in [0, 1, 255, 256, 257, 1000, 123_456, 10_000_000_000, .max] {
            let index = LatencyHistogram.bucketIndex(of: value)
            #expect(index < LatencyHistogram.bucketCount)
            let high = LatencyHistogram.highestEquivalentValue(ofBucket: index)
            #expect(high >= value)
            #expect(Double(high - value) <= Double(value) / 128 + 1)
        }
        // Buckets are contiguous: the value after a bucket's highest starts the next one.
        for index in 0..<(LatencyHistogram.bucketCount - 1) {
            let next = LatencyHistogram.highestEquivalentValue(ofBucket: index) + 1
            #expect(LatencyHistogram.bucketIndex(of: next) == index + 1)
        }
    }

    @Test func histogramPercentilesAndMerge() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for v in 1...100 { a.record(UInt64(v)) }
        b.record(1_000_000, count: 100)
        #expect(a.value(atPercentile: 50) == 50)
        #expect(a.value(atPercentile: 99) == 99)
        #expect(a.min == 1 && a.maximum == 100 && a.mean == 50.5)
        a.merge(b)
        #expect(a.totalCount == 200)
        #expect(a.value(atPercentile: 50) == 100)
        #expect(a.value(atPercentile: 100) == 1_000_000)
    }

    /// Counts what it is asked, to check that the runner sends exactly `-n` requests.
    final class CountingExecutor: CommandExecutor {
        let count = Atomic<Int>(0)
        func execute(_ argv: [ByteString]) -> Reply {
            count.add(1, ordering: .relaxed)
            return .ok
        }
    }

    @Test(arguments: [(1, 1), (1000, 3), (1001, 2), (10, 16)])
    func runnerSendsExactlyTheRequestedCount(requests: Int, threads: Int) throws {
        for pipeline in [1, 7] {
            let executor = CountingExecutor()
            let runner = BenchmarkRunner(
                requests: requests, threads: threads, pipeline: pipeline, seed: 42,
                template: try CommandTemplate(arguments: ["SET", "k:__rand_int__", "v"], keyspace: 100, sha: nil)
            )
            let result = runner.run(against: executor)
            #expect(executor.count.load(ordering: .relaxed) == requests)
            #expect(result.histogram.totalCount == UInt64(requests))
            #expect(result.threads == min(threads, requests))
        }
    }

    @Test func runnerDrivesTheStore() throws {
        let store = LuaStore()
        let runner = BenchmarkRunner(
            requests: 2000, threads: 2, pipeline: 1, seed: 7,
            template: try CommandTemplate(arguments: ["SET", "key:__rand_int__", "value"], keyspace: 100, sha: nil)
        )
        _ = runner.run(against: store)
        let keys = store.execute([ByteString("DBSIZE")])
        #expect(keys.integerValue.map { $0 > 0 && $0 <= 100 } == true)
    }

    @Test func reportsHaveRedisBenchmarksShape() {
        var histogram = LatencyHistogram()
        histogram.record(1500, count: 10)
        let result = BenchmarkRunner.Result(requests: 10, threads: 2, wallNanoseconds: 1_000_000, histogram: histogram)
        #expect(BenchmarkReport.csvHeader
            == #""test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms""#)
        #expect(BenchmarkReport.csvRow(title: #"SET "k" v"#, result: result)
            == #""SET ""k"" v","10000.00","0.001500","0.001500","0.001500","0.001500","0.001500","0.001500""# + "\n")
        #expect(BenchmarkReport.quietLine(title: "PING", result: result) == "PING: 10000.00 requests per second, p50=0.001500 msec\n")
        let full = BenchmarkReport.fullReport(title: "PING", result: result, pipeline: 1, keyspace: nil)
        #expect(full.hasPrefix("====== PING ======\n  10 requests completed in 0.00 seconds\n"))
        #expect(full.contains("  throughput summary: 10000.00 requests per second\n"))
    }

    /// The generator's own cost per request (loop, two clock reads, histogram), against an
    /// executor that does nothing. Printed for the record; the bound only catches a
    /// pathological regression: debug builds on a shared 2-core machine are slow and noisy, and
    /// Thread Sanitizer multiplies the cost several times.
    @Test func generatorOverheadIsSmall() throws {
        let runner = BenchmarkRunner(
            requests: 200_000, threads: 1, pipeline: 1, seed: 1,
            template: try CommandTemplate(arguments: ["SET", "key:__rand_int__", "value"], keyspace: 1_000_000, sha: nil)
        )
        let result = runner.run(against: NullExecutor())
        let nanosecondsPerRequest = Double(result.wallNanoseconds) / Double(result.requests)
        print("benchmark generator overhead: \(Int(nanosecondsPerRequest)) ns per request (debug build, 1 thread)")
        #expect(nanosecondsPerRequest < 20_000)
    }
}

/// `luastore benchmark`'s machine-readable output against redis-benchmark's own.
@Suite(.enabled(if: RedisServer.toolsAvailable, "needs redis-server and redis-benchmark"))
struct RedisBenchmarkShapeTests {
    @Test func csvHeaderAndQuietLineMatchRedisBenchmark() throws {
        let fixture = try RedisServer()
        defer { fixture.stop() }
        var histogram = LatencyHistogram()
        histogram.record(250, count: 100)
        let result = BenchmarkRunner.Result(requests: 100, threads: 1, wallNanoseconds: 25_000, histogram: histogram)

        let csv = String(decoding: try fixture.redisBenchmark(["-n", "100", "-c", "1", "--csv", "SET", "k", "v"]), as: UTF8.self)
        let theirs = csv.split(separator: "\n")
        let ours = (BenchmarkReport.csvHeader + "\n" + BenchmarkReport.csvRow(title: "SET k v", result: result)).split(separator: "\n")
        #expect(ours[0] == theirs.first)
        // Same title cell and column count on the data row.
        #expect(ours[1].split(separator: ",").count == theirs.last?.split(separator: ",").count)
        #expect(ours[1].hasPrefix(#""SET k v","#) && theirs.last?.hasPrefix(#""SET k v","#) == true)

        let quiet = String(decoding: try fixture.redisBenchmark(["-n", "100", "-c", "1", "-q", "SET", "k", "v"]), as: UTF8.self)
        // redis-benchmark clears its progress line with spaces and '\r' before the result.
        let theirLine = try #require(quiet.split(separator: "\r").last).trimmingCharacters(in: .newlines)
        let shape = #/^SET k v: [0-9]+\.[0-9]{2} requests per second, p50=[0-9]+\.[0-9]+ msec$/#
        #expect(theirLine.wholeMatch(of: shape) != nil)
        #expect(BenchmarkReport.quietLine(title: "SET k v", result: result).trimmingCharacters(in: .newlines).wholeMatch(of: shape) != nil)
    }
}

import Foundation

/// Prints a ``BenchmarkRunner/Result`` the three ways redis-benchmark 7 does
/// (`showLatencyReport`): the full report, `-q`'s one line, and `--csv`'s rows.
///
/// Latencies are in milliseconds like redis-benchmark's, but with six decimals instead of
/// three: in-process requests take well under a microsecond, which three decimals would
/// print as 0.000.
enum BenchmarkReport {
    static let csvHeader =
        #""test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms""#

    /// The percentiles listed under "Latency by percentile distribution".
    static let listedPercentiles: [Double] = [0, 50, 75, 90, 95, 99, 99.9, 100]

    /// `-q`: `SET key value: 123456.78 requests per second, p50=0.000250 msec`.
    static func quietLine(title: String, result: BenchmarkRunner.Result) -> String {
        String(format: "%@: %.2f requests per second, p50=%.6f msec\n",
               title, result.requestsPerSecond, milliseconds(result.histogram.value(atPercentile: 50)))
    }

    /// `--csv`: one row under ``csvHeader``, quoted like redis-benchmark's.
    static func csvRow(title: String, result: BenchmarkRunner.Result) -> String {
        let h = result.histogram
        let title = title.replacingOccurrences(of: "\"", with: "\"\"")
        return String(format: "\"%@\",\"%.2f\",\"%.6f\",\"%.6f\",\"%.6f\",\"%.6f\",\"%.6f\",\"%.6f\"\n",
                      title, result.requestsPerSecond, h.mean / 1e6, milliseconds(h.min),
                      milliseconds(h.value(atPercentile: 50)), milliseconds(h.value(atPercentile: 95)),
                      milliseconds(h.value(atPercentile: 99)), milliseconds(h.maximum))
    }

    /// The default report: what was run, the latency distribution, and redis-benchmark's
    /// "Summary" block.
    static func fullReport(title: String, result: BenchmarkRunner.Result, pipeline: Int, keyspace: UInt64?) -> String {
        let h = result.histogram
        var out = "====== \(title) ======\n"
        out += String(format: "  %d requests completed in %.2f seconds\n", result.requests, Double(result.wallNanoseconds) / 1e9)
        out += "  \(result.threads) parallel clients (threads, in process)\n"
        out += "  pipeline: \(pipeline)\n"
        if let keyspace { out += "  keyspace: \(keyspace) (__rand_int__)\n" }
        out += "  multi-thread: \(result.threads > 1 ? "yes" : "no")\n"
        out += "\nLatency by percentile distribution:\n"
        for percentile in listedPercentiles {
            out += String(format: "%3.3f%% <= %.6f milliseconds\n", percentile, milliseconds(h.value(atPercentile: percentile)))
        }
        out += "\nSummary:\n"
        out += String(format: "  throughput summary: %.2f requests per second\n", result.requestsPerSecond)
        out += "  latency summary (msec):\n"
        out += "    " + ["avg", "min", "p50", "p95", "p99", "max"].map { pad($0, to: 9) }.joined(separator: " ") + "\n"
        let values = [h.mean / 1e6, milliseconds(h.min), milliseconds(h.value(atPercentile: 50)),
                      milliseconds(h.value(atPercentile: 95)), milliseconds(h.value(atPercentile: 99)), milliseconds(h.maximum)]
        out += "    " + values.map { pad(String(format: "%.6f", $0), to: 9) }.joined(separator: " ") + "\n"
        return out
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }

    private static func pad(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

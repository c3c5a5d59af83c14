import Testing
@testable import LuaStore

/// The count-min sketch behind `allkeys-tinylfu`.
@Suite struct FrequencySketchTests {
    private func hash(_ i: Int) -> UInt64 { ByteString("key:\(i)").storeHash }

    @Test func estimatesNeverFallBelowTheTrueCount() {
        var sketch = FrequencySketch(capacity: 4096)
        var rng = SplitMix64(seed: 7)
        var truth = [Int](repeating: 0, count: 1000)
        for _ in 0..<8000 {
            let i = Int(rng.next() % 1000)
            truth[i] += 1
            sketch.increment(hash(i))
        }
        #expect(8000 < sketch.sampleSize)   // no aging in this test
        for i in 0..<1000 { #expect(sketch.frequency(hash(i)) >= min(truth[i], 15)) }
    }

    @Test func countersSaturateAtFifteen() {
        var sketch = FrequencySketch(capacity: 64)
        for _ in 0..<100 { sketch.increment(hash(1)) }
        #expect(sketch.frequency(hash(1)) == 15)
    }

    /// Heavy hitters stand out from one-hit keys, the distinction admission relies on.
    @Test func popularKeysOutrankOneHitKeys() {
        var sketch = FrequencySketch(capacity: 1024)
        for round in 0..<8 {
            for i in 0..<50 { sketch.increment(hash(i)) }
            for i in 0..<100 { sketch.increment(hash(10_000 + round * 100 + i)) }
        }
        let popular = (0..<50).map { sketch.frequency(hash($0)) }
        let oneHit = (0..<800).map { sketch.frequency(hash(10_000 + $0)) }
        #expect(popular.min()! >= 8)
        #expect(Double(oneHit.reduce(0, +)) / Double(oneHit.count) < 2)
    }

    /// After `sampleSize` increments every counter halves: past popularity fades.
    @Test func agingHalvesTheCounts() {
        var sketch = FrequencySketch(capacity: 64)
        for _ in 0..<12 { sketch.increment(hash(1)) }
        #expect(sketch.frequency(hash(1)) == 12)
        sketch.age()
        #expect(sketch.frequency(hash(1)) == 6)
        var i = 100
        while sketch.frequency(hash(1)) == 6 {   // other keys' accesses trigger the next aging
            sketch.increment(hash(i))
            i += 1
        }
        #expect(sketch.frequency(hash(1)) == 3)
        #expect(i - 100 <= sketch.sampleSize)
    }
}

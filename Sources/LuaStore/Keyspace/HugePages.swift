#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for the keyspace's big arrays.
///
/// A GET on a large keyspace touches one random bucket and one random 48-byte entry: two
/// cache misses, and with 4 KiB pages two TLB misses as well, each a page walk (nested,
/// and so dearer, in a virtual machine). Measured at 1M keys, those walks cost more than
/// the cache misses themselves. Linux backs a region with 2 MiB pages when it is marked
/// `MADV_HUGEPAGE` before it is touched (the usual `madvise` setting of
/// `/sys/kernel/mm/transparent_hugepage/enabled`); a 48 MB entry array then needs 24 TLB
/// entries instead of 12,000.
///
/// Redis advises turning THP off because it forks for persistence, and a fork's
/// copy-on-write then copies 2 MiB per touched page. LuaStore never forks, so it only
/// gains. Elsewhere (macOS, THP disabled) this does nothing.
enum HugePages {
    /// The size worth advising: one huge page.
    static let threshold = 2 << 20

    /// Marks the page-aligned interior of `[start, start + bytes)` for huge pages. Call
    /// it on freshly allocated memory, before writing to it.
    static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard bytes >= threshold else { return }
        let page = 4096
        let begin = (Int(bitPattern: start) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(page - 1)
        guard end > begin, let p = UnsafeMutableRawPointer(bitPattern: begin) else { return }
        _ = madvise(p, end - begin, MADV_HUGEPAGE)
        #endif
    }
}

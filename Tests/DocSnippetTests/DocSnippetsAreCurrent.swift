import Testing
import TestSupport

/// DocSnippets.swift holds the documents' current Swift blocks (so the build compiles the
/// code users read).
@Test func docSnippetsAreCurrent() throws {
    #expect(try generatedFileIsCurrent("Scripts/extract-doc-snippets.py"), "run make doc-snippets")
}

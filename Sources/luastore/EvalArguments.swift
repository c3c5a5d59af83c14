/// redis-cli's `--eval FILE key1 key2 , arg1 arg2` (its `evalMode`): the script file and
/// the words after it become `EVAL <script> <numkeys> key1 key2 arg1 arg2`.
///
/// The first word that is exactly `,` separates keys from arguments (it must stand alone:
/// `key1,` is a key); without one, every word is a key. Later commas are arguments.
enum EvalArguments {
    static func argv(script: [UInt8], words: [String]) -> [[UInt8]] {
        var keys: [[UInt8]] = []
        var arguments: [[UInt8]] = []
        var sawComma = false
        for word in words {
            if !sawComma && word == "," {
                sawComma = true
            } else if sawComma {
                arguments.append(Array(word.utf8))
            } else {
                keys.append(Array(word.utf8))
            }
        }
        return [Array("EVAL".utf8), script, Array(String(keys.count).utf8)] + keys + arguments
    }
}

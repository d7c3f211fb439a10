import LoupeLedger

/// Bearer tokens for annotators: 32 random bytes, written as 64 hex digits.
///
/// Only a token's SHA-256 is stored. A fast hash is right here, unlike for passwords: a
/// token has 256 bits of entropy, so no guess of it is cheaper than brute force over 2^256,
/// however fast the hash; a slow, salted hash only protects low-entropy secrets.
enum AnnotatorToken {
    static let byteCount = 32
    /// Longer input is no token of ours; refused before hashing someone's megabyte header.
    static let maxPresentedLength = 256

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return bytes.hexString
    }

    static func sha256(_ token: String) -> String {
        ObjectStore.sha256(Array(token.utf8))
    }
}

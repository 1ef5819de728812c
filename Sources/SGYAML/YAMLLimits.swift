/// Bounds on what the YAML front end accepts. Every limit is a named constant, documented in
/// docs/LIMITS.md, and tested with an input just over it. They exist so that hostile input (an
/// alias bomb, 20,000-deep nesting, a gigabyte scalar) fails fast with a located error instead of
/// exhausting memory or time.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file accepted, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes that aliases may add by expansion (each alias counts its whole subtree).
    public var maxAliasExpansion: Int
    /// Most nodes in one document, aliases expanded.
    public var maxNodes: Int
    /// Longest scalar, in bytes.
    public var maxScalarBytes: Int

    /// Creates limits.
    public init(maxFileBytes: Int, maxDepth: Int, maxAliasExpansion: Int, maxNodes: Int, maxScalarBytes: Int) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxNodes = maxNodes
        self.maxScalarBytes = maxScalarBytes
    }

    /// The defaults: generous for real deployments (a 20,000-rule scenario is ~2 MB and depth 6),
    /// tight for abuse.
    public static let `default` = YAMLLimits(
        maxFileBytes: 16 * 1024 * 1024,
        maxDepth: 64,
        maxAliasExpansion: 100_000,
        maxNodes: 2_000_000,
        maxScalarBytes: 64 * 1024
    )
}

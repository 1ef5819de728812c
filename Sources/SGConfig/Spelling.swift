/// "Did you mean" for callers outside the config reader (the command line's actions and options):
/// the same suggestion rule as every config diagnostic.
public enum Spelling {
    /// `; did you mean 'validate-prov-template'?` for a close candidate, else "".
    public static func didYouMean(_ word: String, in candidates: [String]) -> String {
        TextSupport.didYouMean(word, in: candidates)
    }
}

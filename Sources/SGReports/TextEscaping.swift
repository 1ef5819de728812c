/// Escaping for HTML and SVG text and attribute values. Every value that comes from a config,
/// a scenario or a finding goes through it: a tier description holding `<script>` must print as
/// text, never run.
public enum HTMLText {
    /// Escapes `& < > " '`, so the result is safe in element content and quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// Escaping for CommonMark/GitHub Markdown text, in paragraphs and in table cells.
public enum MarkdownText {
    /// Backslash-escapes the punctuation that would start markup (emphasis, code, links, HTML,
    /// table pipes, headings) and folds line breaks, so a value stays one inert run of text and a
    /// table row stays one row.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "~": out += "\\" + String(character)
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

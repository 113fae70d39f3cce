/// Text that came from the network, made safe to show to a human: in a log line, in the journal, on a
/// terminal. C0 and C1 control characters, DEL, bidirectional overrides and zero-width characters are
/// shown as `\u{…}` escapes (a backslash as `\\`), so a Call-ID cannot set a terminal's title, erase
/// lines or reorder what an operator reads. JSON output is not passed through this: it escapes by its
/// own rules and stays exact.
public enum DisplayText {
    /// `text` with every unsafe character escaped; unchanged (no copy) when it has none.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                out += "\\\\"
            } else if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a character must not reach a terminal or log as it is.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\\" || isControl(scalar) || isInvisibleFormatting(scalar)
    }

    /// C0 and C1 control characters and DEL (ESC, CR, LF, CSI…).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// Bidirectional marks, embeddings, overrides and isolates, and zero-width characters: invisible, yet
    /// they change what a reader sees (a file name that reads `invoice.mp3` can be `…3pm.exe` reversed).
    public static func isInvisibleFormatting(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true   // bidi
        case 0x200B...0x200D, 0x2060, 0xFEFF: return true                             // zero-width
        default: return false
        }
    }
}

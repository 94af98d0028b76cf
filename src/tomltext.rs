//! Where in a TOML text a parser's byte offset lies, for messages that
//! name the line and the key: the config and compliance profiles share it.

/// The 1-based line of byte `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The `[table] key` written on the line holding byte `at`, for messages
/// about a value whose type is wrong; `None` when the line holds no key
/// (a value of an array, say, or a cell of an inline table).
pub fn key_at(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('{') {
        return None;
    }
    let table = text
        .get(..line_start)?
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'));
    Some(match table {
        Some(table) => format!("{table} {key}"),
        None => key.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_line_and_the_key_under_its_table() {
        let text = "a = 1\n[caps]\nmax_contacts = \"x\"\nlimits = [\n  { count = 1 },\n]\n";
        let at = text.find("\"x\"").unwrap();
        assert_eq!(line_of(text, at), 3);
        assert_eq!(key_at(text, at).as_deref(), Some("[caps] max_contacts"));
        assert_eq!(key_at(text, 0).as_deref(), Some("a"));
        assert_eq!(key_at(text, text.find("{ count").unwrap()), None);
        assert_eq!(line_of(text, usize::MAX), 7);
    }
}

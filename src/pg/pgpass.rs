//! The password file libpq reads (`~/.pgpass`, or `PGPASSFILE`): lines of
//! `host:port:database:user:password`, `*` matching anything, `\:` and
//! `\\` escaping. The client crate does not read it, so it is read here,
//! as libpq reads it: ignored unless only its owner may read it.

use std::path::{Path, PathBuf};

/// What a connection is to: the fields a password line is matched on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted<'a> {
    pub host: &'a str,
    pub port: &'a str,
    pub database: &'a str,
    pub user: &'a str,
}

/// The password of the first line of `text` that matches.
pub fn find(text: &str, wanted: &Wanted<'_>) -> Option<String> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .filter_map(fields)
        .find(|f| {
            matches(&f[0], wanted.host)
                && matches(&f[1], wanted.port)
                && matches(&f[2], wanted.database)
                && matches(&f[3], wanted.user)
        })
        .map(|mut f| f.swap_remove(4))
}

fn matches(field: &str, value: &str) -> bool {
    field == "*" || field == value
}

/// A line's five fields, unescaped; `None` for a line with fewer.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.last_mut()?.push(next);
                }
            }
            // The password is the rest of the line, colons and all.
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut()?.push(c),
        }
    }
    (out.len() == 5).then_some(out)
}

/// Where the password file is: `PGPASSFILE`, else `~/.pgpass`.
pub fn path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(file));
    }
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".pgpass"))
}

/// Whether a file with these permission bits may be read: libpq ignores a
/// password file that its group or others may read or write.
pub fn private_enough(mode: u32) -> bool {
    mode & 0o077 == 0
}

/// The password for `wanted` from the password file, if the file exists,
/// is private, and has a matching line. A file too open is named in
/// `warning`, as libpq warns of it.
pub fn lookup(wanted: &Wanted<'_>, warning: &mut Option<String>) -> Option<String> {
    let path = path()?;
    let meta = std::fs::metadata(&path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if !private_enough(meta.permissions().mode()) {
            *warning = Some(format!(
                "{} is not used: others may read it (chmod 600 {})",
                path.display(),
                path.display()
            ));
            return None;
        }
    }
    let _ = &meta;
    let text = std::fs::read_to_string(&path).ok()?;
    find(&text, wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WANTED: Wanted<'static> = Wanted {
        host: "db.example",
        port: "5432",
        database: "crm",
        user: "sales",
    };

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let text = "# comment\n\
                    other:5432:crm:sales:no\n\
                    db.example:5432:crm:sales:first\n\
                    *:*:*:*:second\n";
        assert_eq!(find(text, &WANTED).as_deref(), Some("first"));
    }

    #[test]
    fn stars_match_anything() {
        assert_eq!(find("*:*:crm:*:any\n", &WANTED).as_deref(), Some("any"));
        assert_eq!(find("*:5433:*:*:wrong port\n", &WANTED), None);
        assert_eq!(find("db.example:*:*:sales\n", &WANTED), None);
    }

    #[test]
    fn escapes_and_colons_in_the_password() {
        assert_eq!(
            find("db.example:5432:crm:sales:a\\:b\\\\c\r\n", &WANTED).as_deref(),
            Some("a:b\\c")
        );
        assert_eq!(
            find("db.example:5432:crm:sales:a:b\n", &WANTED).as_deref(),
            Some("a:b")
        );
        let escaped_host = Wanted {
            host: "a:b",
            ..WANTED
        };
        assert_eq!(
            find("a\\:b:5432:crm:sales:pw\n", &escaped_host).as_deref(),
            Some("pw")
        );
    }

    #[test]
    fn a_file_others_may_read_is_not_used() {
        assert!(private_enough(0o100600));
        assert!(private_enough(0o100400));
        assert!(!private_enough(0o100640));
        assert!(!private_enough(0o100604));
    }
}

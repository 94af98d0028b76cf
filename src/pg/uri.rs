//! A history's location as a PostgreSQL URI: recognised, shown without its
//! password, and its `sslmode` read (libpq's words, some of which the
//! client crate does not know).

/// Whether a `history` value names a PostgreSQL database rather than a file.
pub fn is_uri(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgresql://") || lower.starts_with("postgres://")
}

/// The URI as messages show it: no password, whether in the user part
/// (`user:secret@host`) or a `password=` parameter.
pub fn redacted(uri: &str) -> String {
    let Some(scheme_end) = uri.find("://").map(|i| i + 3) else {
        return uri.to_owned();
    };
    let (scheme, rest) = uri.split_at(scheme_end);
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (user_info, host) = authority.split_at(at);
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{user}{host}")
        }
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_owned(),
    };
    format!("{scheme}{authority}{tail}")
}

/// What the URI's `sslmode` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// No TLS.
    Disable,
    /// TLS when the server offers it, else plain (libpq's default);
    /// the certificate is not checked, as libpq does not check it.
    Prefer,
    /// TLS or nothing; the certificate is not checked (libpq's `require`).
    Require,
    /// TLS, with the certificate checked against the system's roots and
    /// the host name (`verify-ca` and `verify-full`).
    Verify,
}

/// The URI without its `sslmode` parameter (which the client crate reads
/// only in part), and the mode it asked for.
pub fn split_ssl_mode(uri: &str) -> Result<(String, SslMode), String> {
    let Some((base, query)) = uri.split_once('?') else {
        return Ok((uri.to_owned(), SslMode::Prefer));
    };
    let mut mode = SslMode::Prefer;
    let mut kept = Vec::new();
    for param in query.split('&') {
        match param.split_once('=') {
            Some(("sslmode", value)) => {
                mode = match value {
                    "disable" | "allow" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" | "verify-full" => SslMode::Verify,
                    other => {
                        return Err(format!(
                            "sslmode={other} is not known; use disable, prefer, require, verify-ca or verify-full"
                        ));
                    }
                };
            }
            _ => kept.push(param),
        }
    }
    let uri = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((uri, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_told_from_paths() {
        assert!(is_uri("postgresql://sales@db.example/crm"));
        assert!(is_uri("postgres://db/crm"));
        assert!(is_uri("PostgreSQL://db/crm"));
        assert!(!is_uri("history.csv"));
        assert!(!is_uri("postgres/history.csv"));
        assert!(!is_uri("./postgresql://x"));
        assert!(!is_uri("-"));
        assert!(!is_uri("é"));
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redacted("postgresql://sales:s3cret@db.example:5433/crm"),
            "postgresql://sales@db.example:5433/crm"
        );
        assert_eq!(
            redacted("postgres://sales:p@ss@db/crm?sslmode=require&password=x&application_name=a"),
            "postgres://sales@db/crm?sslmode=require&application_name=a"
        );
        assert_eq!(
            redacted("postgres://db/crm?password=x"),
            "postgres://db/crm"
        );
        assert_eq!(redacted("postgres://db"), "postgres://db");
        assert_eq!(redacted("postgres://u@db/crm"), "postgres://u@db/crm");
    }

    #[test]
    fn ssl_mode_is_read_and_taken_out() {
        assert_eq!(
            split_ssl_mode("postgres://db/crm").unwrap(),
            ("postgres://db/crm".to_owned(), SslMode::Prefer)
        );
        assert_eq!(
            split_ssl_mode("postgres://db/crm?sslmode=verify-full&connect_timeout=5").unwrap(),
            (
                "postgres://db/crm?connect_timeout=5".to_owned(),
                SslMode::Verify
            )
        );
        assert_eq!(
            split_ssl_mode("postgres://db/crm?sslmode=disable")
                .unwrap()
                .1,
            SslMode::Disable
        );
        assert_eq!(
            split_ssl_mode("postgres://db/crm?sslmode=require")
                .unwrap()
                .1,
            SslMode::Require
        );
        assert!(split_ssl_mode("postgres://db/crm?sslmode=always").is_err());
    }
}

//! A history's location as a PostgreSQL URI: recognised, shown without its
//! password, and its TLS settings read (`sslmode` in libpq's words, some
//! of which the client crate does not know, and `sslrootcert`).

use std::path::PathBuf;

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

/// What the URI's `sslmode` asks for (libpq's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// No TLS (`disable`, and `allow`, which libpq tries plain first).
    Disable,
    /// TLS when the server offers it, else plain (libpq's default);
    /// the certificate is not checked, as libpq does not check it.
    Prefer,
    /// TLS or nothing; the certificate is not checked (libpq's `require`,
    /// unless a root certificate file is given: then as `verify-ca`).
    Require,
    /// TLS, with the certificate's chain checked against the roots.
    VerifyCa,
    /// As `VerifyCa`, and the certificate must name the host.
    VerifyFull,
}

/// The certificates a server's certificate must chain to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// The system's trusted roots.
    System,
    /// The certificates in a PEM file (libpq's `sslrootcert`).
    File(PathBuf),
}

/// The URI's TLS settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub mode: SslMode,
    pub roots: Roots,
}

/// The URI without its `sslmode` and `sslrootcert` parameters (which the
/// client crate does not read), and the TLS they ask for. Without
/// `sslrootcert`, the roots are `from_env` (`PGSSLROOTCERT`), else
/// `default_file` (`~/.postgresql/root.crt`) when it exists, else the
/// system's; `sslrootcert=system` asks for the system's.
pub fn split_tls(
    uri: &str,
    from_env: Option<String>,
    default_file: Option<PathBuf>,
) -> Result<(String, Tls), String> {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for param in query.split('&').filter(|p| !p.is_empty()) {
        match param.split_once('=') {
            Some(("sslmode", value)) => {
                mode = match value {
                    "disable" | "allow" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(format!(
                            "sslmode={other} is not known; use disable, prefer, require, verify-ca or verify-full"
                        ));
                    }
                };
            }
            Some(("sslrootcert", value)) => root_cert = Some(percent_decoded(value)?),
            _ => kept.push(param),
        }
    }
    let roots = match root_cert.or(from_env.filter(|v| !v.is_empty())) {
        Some(given) if given == "system" => Roots::System,
        Some(given) => Roots::File(PathBuf::from(given)),
        None => match default_file.filter(|f| f.is_file()) {
            Some(file) => Roots::File(file),
            None => Roots::System,
        },
    };
    // libpq: `require` with a root certificate file checks the chain.
    if mode == SslMode::Require && matches!(roots, Roots::File(_)) {
        mode = SslMode::VerifyCa;
    }
    let uri = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((uri, Tls { mode, roots }))
}

/// A URI parameter's value with its `%XX` escapes decoded.
fn percent_decoded(value: &str) -> Result<String, String> {
    let bad = || format!("{value:?} is not a well-formed URI value; write a `%` as %25");
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = tail.get(..2).ok_or_else(bad)?;
            let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
            bytes.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).map_err(|_| bad())
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

    fn split(uri: &str) -> (String, Tls) {
        split_tls(uri, None, None).unwrap()
    }

    #[test]
    fn ssl_mode_is_read_and_taken_out() {
        let system = |mode| Tls {
            mode,
            roots: Roots::System,
        };
        assert_eq!(
            split("postgres://db/crm"),
            ("postgres://db/crm".to_owned(), system(SslMode::Prefer))
        );
        assert_eq!(
            split("postgres://db/crm?sslmode=verify-full&connect_timeout=5"),
            (
                "postgres://db/crm?connect_timeout=5".to_owned(),
                system(SslMode::VerifyFull)
            )
        );
        for (word, mode) in [
            ("disable", SslMode::Disable),
            ("allow", SslMode::Disable),
            ("prefer", SslMode::Prefer),
            ("require", SslMode::Require),
            ("verify-ca", SslMode::VerifyCa),
            ("verify-full", SslMode::VerifyFull),
        ] {
            assert_eq!(
                split(&format!("postgres://db/crm?sslmode={word}")).1,
                system(mode)
            );
        }
        assert!(split_tls("postgres://db/crm?sslmode=always", None, None).is_err());
    }

    #[test]
    fn root_certificates_come_from_the_uri_then_the_environment_then_the_default_file() {
        let file = |p: &str| Roots::File(PathBuf::from(p));
        let (uri, tls) =
            split("postgres://db/crm?sslrootcert=%2Fetc%2Fca%20one.pem&sslmode=verify-full");
        assert_eq!(uri, "postgres://db/crm");
        assert_eq!(tls.roots, file("/etc/ca one.pem"));
        assert_eq!(tls.mode, SslMode::VerifyFull);
        let env = Some("/env/ca.pem".to_owned());
        assert_eq!(
            split_tls("postgres://db/crm?sslmode=verify-ca", env.clone(), None)
                .unwrap()
                .1
                .roots,
            file("/env/ca.pem")
        );
        assert_eq!(
            split_tls("postgres://db/crm?sslrootcert=/uri.pem", env.clone(), None)
                .unwrap()
                .1
                .roots,
            file("/uri.pem")
        );
        assert_eq!(
            split_tls("postgres://db/crm?sslrootcert=system", env, None)
                .unwrap()
                .1
                .roots,
            Roots::System
        );
        // The default file counts only when it is there.
        let here = std::env::current_exe().unwrap();
        assert_eq!(
            split_tls("postgres://db/crm", None, Some(here.clone()))
                .unwrap()
                .1
                .roots,
            Roots::File(here)
        );
        assert_eq!(
            split_tls(
                "postgres://db/crm",
                None,
                Some(PathBuf::from("/no/such/root.crt"))
            )
            .unwrap()
            .1
            .roots,
            Roots::System
        );
        assert!(split_tls("postgres://db/crm?sslrootcert=%zz", None, None).is_err());
        assert!(split_tls("postgres://db/crm?sslrootcert=%2", None, None).is_err());
    }

    #[test]
    fn require_with_a_root_file_checks_the_chain_as_libpq_does() {
        assert_eq!(
            split("postgres://db/crm?sslmode=require&sslrootcert=/ca.pem")
                .1
                .mode,
            SslMode::VerifyCa
        );
        assert_eq!(
            split("postgres://db/crm?sslmode=require&sslrootcert=system")
                .1
                .mode,
            SslMode::Require
        );
        assert_eq!(
            split("postgres://db/crm?sslrootcert=/ca.pem").1.mode,
            SslMode::Prefer
        );
    }
}

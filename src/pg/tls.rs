//! TLS to the server, as the URI's `sslmode` and `sslrootcert` ask:
//! encryption alone for `prefer` and `require` (libpq does not check the
//! certificate then), the certificate's chain for `verify-ca`, and the
//! chain and the host name for `verify-full`.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::uri::{Roots, SslMode, Tls};

/// What every connection of a history is wrapped in: TLS, or
/// (`sslmode=disable`) nothing.
#[derive(Clone)]
pub struct Connector(pub Option<tokio_postgres_rustls::MakeRustlsConnect>);

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "TLS" } else { "no TLS" })
    }
}

impl Connector {
    /// The connector the settings ask for; an error says what to mend in
    /// the URI or on the machine.
    pub fn new(tls: &Tls) -> Result<Connector, String> {
        Ok(Connector(match tls.mode {
            SslMode::Disable => None,
            _ => Some(connector(tls)?),
        }))
    }
}

fn connector(tls: &Tls) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    // ring: it builds with a C compiler alone (aws-lc-rs needs cmake).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = match tls.mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => Arc::new(Unchecked(provider)),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = Arc::new(root_store(&tls.roots)?);
            let full = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(|e| format!("the server's certificate cannot be checked: {e}"))?;
            if tls.mode == SslMode::VerifyFull {
                full
            } else {
                Arc::new(ChainOnly(full))
            }
        }
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The certificates a server's certificate must chain to.
fn root_store(roots: &Roots) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::System => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system certificate rustls cannot use is left out, as
                // every TLS client on the machine leaves it out.
                let _ = store.add(cert);
            }
            if store.is_empty() {
                return Err(
                    "this machine has no trusted root certificates to check the server's with: \
                     give the certificate of the authority that signed the server's as \
                     sslrootcert=FILE in the URI (or PGSSLROOTCERT)"
                        .to_owned(),
                );
            }
        }
        Roots::File(path) => {
            let unreadable = |e: &dyn std::fmt::Display| {
                format!(
                    "the root certificate file {} cannot be read ({e}): give a PEM file as sslrootcert=FILE in the URI (or PGSSLROOTCERT)",
                    path.display()
                )
            };
            for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
                let cert = cert.map_err(|e| unreadable(&e))?;
                store.add(cert).map_err(|e| unreadable(&e))?;
            }
            if store.is_empty() {
                return Err(unreadable(&"it holds no certificate"));
            }
        }
    }
    Ok(store)
}

/// `verify-ca`: the chain is checked, not the host name. rustls checks
/// the chain first, so a certificate refused only for its name has a
/// chain that holds.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            checked => checked,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `prefer` and `require`: the certificate is not checked, as in libpq
/// (the handshake's signatures still are).
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

//! RSA keys: loading from PEM, signing, verification.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::backend::{self, Backend, KeyFormat, SigningBackend, Verifier};
use crate::{KeyError, SignError, VerifyError, der, pem};

/// Smallest accepted modulus, in bits (aws-lc-rs's lower bound; NIST minimum).
const MIN_BITS: usize = 2048;
/// Largest accepted modulus, in bits (the upper bound of both backends).
const MAX_BITS: usize = 8192;

fn check_size(bits: usize) -> Result<(), KeyError> {
    if (MIN_BITS..=MAX_BITS).contains(&bits) {
        Ok(())
    } else {
        Err(KeyError::UnsupportedKeySize { bits })
    }
}

/// Refuses input over [`MAX_KEY_BYTES`](crate::MAX_KEY_BYTES) before any parsing.
fn check_len(input: &[u8]) -> Result<(), KeyError> {
    if input.len() > crate::MAX_KEY_BYTES {
        Err(KeyError::TooLarge {
            limit: crate::MAX_KEY_BYTES,
        })
    } else {
        Ok(())
    }
}

/// Reads at most `MAX_KEY_BYTES + 1` bytes of `path` (a regular file, a pipe, a device) into
/// a zeroizing buffer whose capacity is reserved once, so it never reallocates and leaves no
/// un-zeroized copy behind. One byte more than the limit tells "too large" from "exactly at
/// the limit" without reading on: `/dev/zero` or an endless pipe stop there.
fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    use std::io::Read as _;

    let io = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let cap = crate::MAX_KEY_BYTES + 1;
    let mut contents = Zeroizing::new(Vec::with_capacity(cap));
    let mut limited = file.take(cap as u64);
    loop {
        let filled = contents.len();
        if filled == cap {
            break;
        }
        // Grow within the reserved capacity only: `resize` never reallocates here.
        contents.resize(cap, 0);
        match limited.read(&mut contents[filled..]) {
            Ok(0) => {
                contents.truncate(filled);
                break;
            }
            Ok(n) => contents.truncate(filled + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => contents.truncate(filled),
            Err(e) => return Err(io(e)),
        }
    }
    check_len(&contents)?;
    Ok(contents)
}

fn is_blank(input: &[u8]) -> bool {
    input.iter().all(u8::is_ascii_whitespace)
}

/// An RSA private key for signing requests.
///
/// Parsed once when loaded; cheap to clone (the key is shared). Key material is
/// zeroized when the last clone is dropped, and `Debug` never shows it.
#[derive(Clone)]
pub struct PrivateKey {
    signer: Arc<dyn SigningBackend>,
    public: PublicKey,
}

impl PrivateKey {
    /// Loads an unencrypted RSA private key from PEM text with the
    /// [default backend](Backend::default_backend).
    ///
    /// Both `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1) and
    /// `-----BEGIN PRIVATE KEY-----` (PKCS#8) are accepted. Text around the
    /// PEM block is ignored; if there are several blocks the first private key
    /// is used.
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// use idv_auth::PrivateKey;
    ///
    /// let pem = include_str!("../tests/data/test-key.pem");
    /// let key = PrivateKey::from_pem(pem)?;
    /// assert_eq!(key.bits(), 2048);
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// A [`KeyError`] saying precisely what is wrong with the input.
    pub fn from_pem(pem: &str) -> Result<PrivateKey, KeyError> {
        Self::load(pem.as_bytes(), Backend::default_backend())
    }

    /// Like [`from_pem`](Self::from_pem), for bytes (for example a file's contents).
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// let bytes: &[u8] = include_bytes!("../tests/data/test-key.pkcs8.pem");
    /// let key = idv_auth::PrivateKey::from_pem_bytes(bytes)?;
    /// assert_eq!(key.public_key().bits(), 2048);
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// See [`from_pem`](Self::from_pem).
    pub fn from_pem_bytes(pem: &[u8]) -> Result<PrivateKey, KeyError> {
        Self::load(pem, Backend::default_backend())
    }

    /// Reads and loads a PEM key file with the default backend.
    ///
    /// ```no_run
    /// let key = idv_auth::PrivateKey::from_pem_file("/path/to/application-key.pem")?;
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// At most [`MAX_KEY_BYTES`](crate::MAX_KEY_BYTES) are read, from a regular
    /// file or a pipe alike, into one buffer reserved up front and zeroized
    /// after use.
    ///
    /// # Errors
    /// [`KeyError::Io`] if the file cannot be read (the message names the
    /// path, and says so plainly when the file does not exist);
    /// [`KeyError::TooLarge`] if it holds more than `MAX_KEY_BYTES`; otherwise
    /// as [`from_pem`](Self::from_pem).
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<PrivateKey, KeyError> {
        let contents = read_key_file(path.as_ref())?;
        Self::from_pem_bytes(&contents)
    }

    /// Loads a PEM key with a specific backend.
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// use idv_auth::{Backend, PrivateKey};
    ///
    /// let pem = include_bytes!("../tests/data/test-key.pem");
    /// for &backend in Backend::available() {
    ///     let key = PrivateKey::from_pem_with_backend(pem, backend)?;
    ///     assert_eq!(key.backend(), backend);
    /// }
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// See [`from_pem`](Self::from_pem).
    pub fn from_pem_with_backend(pem: &[u8], backend: Backend) -> Result<PrivateKey, KeyError> {
        Self::load(pem, Some(backend))
    }

    fn load(input: &[u8], backend: Option<Backend>) -> Result<PrivateKey, KeyError> {
        check_len(input)?;
        if is_blank(input) {
            return Err(KeyError::Empty);
        }
        let blocks = pem::parse(input)?;
        let block = blocks
            .iter()
            .find(|b| b.label.ends_with("PRIVATE KEY"))
            .or(blocks.first())
            .ok_or(KeyError::NotPem)?;

        let (der, format) = match block.label {
            "RSA PRIVATE KEY" | "PRIVATE KEY" if block.encrypted_headers => {
                return Err(KeyError::Encrypted);
            }
            "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
            "RSA PRIVATE KEY" => (block.decode()?, KeyFormat::Pkcs1),
            "PRIVATE KEY" => (block.decode()?, KeyFormat::Pkcs8),
            "EC PRIVATE KEY" | "DSA PRIVATE KEY" => {
                return Err(KeyError::NotRsa {
                    label: block.label.to_owned(),
                });
            }
            other => {
                return Err(KeyError::UnsupportedPemLabel {
                    label: other.to_owned(),
                });
            }
        };

        let bits = match format {
            KeyFormat::Pkcs1 => der::pkcs1_private_key_bits(&der),
            KeyFormat::Pkcs8 => {
                let info = der::pkcs8(&der).map_err(KeyError::malformed)?;
                if info.algorithm != der::OID_RSA_ENCRYPTION {
                    return Err(KeyError::NotRsa {
                        label: der::algorithm_name(info.algorithm),
                    });
                }
                der::pkcs1_private_key_bits(info.private_key)
            }
        }
        .map_err(KeyError::malformed)?;
        check_size(bits)?;

        let backend = backend.ok_or(KeyError::NoBackend)?;
        let signer = backend::load(backend, &der, format, bits)?;
        let public = PublicKey::from_spki_der(&signer.public_key_spki_der()?)?;
        Ok(PrivateKey { signer, public })
    }

    /// The backend that signs with this key.
    pub fn backend(&self) -> Backend {
        self.signer.backend()
    }

    /// The modulus size in bits (2048 for Yoti application keys).
    pub fn bits(&self) -> usize {
        self.signer.bits()
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`; the raw signature bytes
    /// (as long as the modulus, 256 bytes for RSA-2048).
    ///
    /// PKCS#1 v1.5 is deterministic: the same key and message always give the
    /// same signature, whatever the backend.
    ///
    /// # Errors
    /// [`SignError`] if the backend fails (for example the OS RNG used for
    /// blinding is unavailable).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut signature = vec![0u8; self.bits().div_ceil(8)];
        let len = self.signer.sign_into(message, &mut signature)?;
        signature.truncate(len);
        Ok(signature)
    }

    /// Signs `message` into the start of `out` (at least
    /// [`MAX_SIGNATURE_LEN`](crate::backend::MAX_SIGNATURE_LEN) bytes); the signature's length.
    pub(crate) fn sign_into(&self, message: &[u8], out: &mut [u8]) -> Result<usize, SignError> {
        self.signer.sign_into(message, out)
    }

    /// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt over `message` (the JWS
    /// algorithm `PS384`, which signs the bearer-token client assertion; see
    /// [`ClientAssertion`](crate::ClientAssertion)). The raw signature bytes, as long as the
    /// modulus. PSS is randomised: two signatures of one message differ.
    ///
    /// # Errors
    /// [`SignError`] if the backend fails (for example the OS RNG is unavailable).
    pub fn sign_pss_sha384(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.signer.sign_pss_sha384(message)
    }

    /// The public half of this key.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("backend", &self.backend())
            .field("bits", &self.bits())
            .field("key", &"<redacted>")
            .finish()
    }
}

/// An RSA public key, for verifying request signatures (the emulator checks
/// `X-Yoti-Auth-Digest` with it) and for fingerprints.
///
/// Equality compares the canonical SPKI encoding. Cheap to clone.
#[derive(Clone)]
pub struct PublicKey {
    inner: Arc<PublicInner>,
}

struct PublicInner {
    spki: Vec<u8>,
    bits: usize,
    fingerprint: [u8; 32],
    verifier: Verifier,
}

impl PublicKey {
    /// Loads a public key from PEM: `-----BEGIN PUBLIC KEY-----` (SPKI) or
    /// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1).
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// let pem = include_str!("../tests/data/test-key.pub.pem");
    /// let public = idv_auth::PublicKey::from_pem(pem)?;
    /// assert_eq!(public.bits(), 2048);
    /// assert_eq!(public.to_pem(), pem);
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// A [`KeyError`]: `UnsupportedPemLabel` for anything other than the two
    /// public key labels (a private key included), `NotRsa` for a non-RSA SPKI,
    /// `Malformed` for bad contents, `NoBackend` without a backend feature.
    pub fn from_pem(pem: &str) -> Result<PublicKey, KeyError> {
        let input = pem.as_bytes();
        check_len(input)?;
        if is_blank(input) {
            return Err(KeyError::Empty);
        }
        let blocks = pem::parse(input)?;
        let block = blocks
            .iter()
            .find(|b| b.label.ends_with("PUBLIC KEY"))
            .or(blocks.first())
            .ok_or(KeyError::NotPem)?;
        match block.label {
            "PUBLIC KEY" => Self::from_spki_der(&block.decode()?),
            "RSA PUBLIC KEY" => {
                let pkcs1 = block.decode()?;
                let spki = der::rsa_spki_from_pkcs1(&pkcs1).map_err(KeyError::malformed)?;
                Self::from_pkcs1(&pkcs1, spki)
            }
            other => Err(KeyError::UnsupportedPemLabel {
                label: other.to_owned(),
            }),
        }
    }

    /// Loads a public key from DER `SubjectPublicKeyInfo` (algorithm `rsaEncryption`).
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// let key = idv_auth::PrivateKey::from_pem(include_str!("../tests/data/test-key.pem"))?;
    /// let der = key.public_key().to_spki_der();
    /// assert_eq!(idv_auth::PublicKey::from_spki_der(&der)?, key.public_key());
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// As [`from_pem`](Self::from_pem).
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, KeyError> {
        let spki = der::spki(der).map_err(KeyError::malformed)?;
        if spki.algorithm != der::OID_RSA_ENCRYPTION {
            return Err(KeyError::NotRsa {
                label: der::algorithm_name(spki.algorithm),
            });
        }
        let canonical = der::rsa_spki_from_pkcs1(spki.public_key).map_err(KeyError::malformed)?;
        Self::from_pkcs1(spki.public_key, canonical)
    }

    /// `canonical_spki` must be `rsa_spki_from_pkcs1(pkcs1)`.
    fn from_pkcs1(pkcs1: &[u8], canonical_spki: Vec<u8>) -> Result<PublicKey, KeyError> {
        let bits = der::pkcs1_public_key_bits(pkcs1).map_err(KeyError::malformed)?;
        check_size(bits)?;
        let (verifier, fingerprint) = Verifier::new(pkcs1, &canonical_spki)?;
        Ok(PublicKey {
            inner: Arc::new(PublicInner {
                spki: canonical_spki,
                bits,
                fingerprint,
                verifier,
            }),
        })
    }

    /// The DER `SubjectPublicKeyInfo` encoding (canonical: `rsaEncryption`
    /// with NULL parameters, as OpenSSL writes it).
    pub fn to_spki_der(&self) -> Vec<u8> {
        self.inner.spki.clone()
    }

    /// The DER `SubjectPublicKeyInfo`, borrowed.
    pub fn spki_der(&self) -> &[u8] {
        &self.inner.spki
    }

    /// The key as a `-----BEGIN PUBLIC KEY-----` PEM (64-character lines,
    /// trailing newline), identical to `openssl rsa -pubout`.
    pub fn to_pem(&self) -> String {
        pem::encode("PUBLIC KEY", &self.inner.spki)
    }

    /// Lower-case hex SHA-256 of the SPKI DER
    /// (what `openssl pkey -pubin -outform DER | sha256sum` prints).
    pub fn fingerprint_sha256_hex(&self) -> String {
        hex::encode(self.inner.fingerprint)
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// Verifies an RSASSA-PKCS1-v1_5/SHA-256 `signature` (raw bytes, not
    /// base64) over `message`. Uses the rust-crypto backend when it is
    /// compiled in, else aws-lc-rs.
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// let key = idv_auth::PrivateKey::from_pem(include_str!("../tests/data/test-key.pem"))?;
    /// let signature = key.sign(b"GET&/sessions?sdkId=x").expect("signs");
    /// let public = key.public_key();
    /// assert!(public.verify(b"GET&/sessions?sdkId=x", &signature).is_ok());
    /// assert!(public.verify(b"GET&/sessions?sdkId=y", &signature).is_err());
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// [`VerifyError`] if the signature is not valid for this key and message.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        self.inner.verifier.verify(message, signature)
    }

    /// Verifies an RSASSA-PSS/SHA-384 `signature` (JWS `PS384`: MGF1-SHA-384, 48-byte salt;
    /// raw bytes) over `message`.
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// let key = idv_auth::PrivateKey::from_pem(include_str!("../tests/data/test-key.pem"))?;
    /// let signature = key.sign_pss_sha384(b"header.claims").expect("signs");
    /// let public = key.public_key();
    /// assert!(public.verify_pss_sha384(b"header.claims", &signature).is_ok());
    /// assert!(public.verify_pss_sha384(b"header.claimz", &signature).is_err());
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// [`VerifyError`] if the signature is not valid for this key and message.
    pub fn verify_pss_sha384(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        self.inner.verifier.verify_pss_sha384(message, signature)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.inner.spki == other.inner.spki
    }
}

impl Eq for PublicKey {}

impl std::hash::Hash for PublicKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.inner.spki.hash(state);
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .field("fingerprint_sha256", &self.fingerprint_sha256_hex())
            .finish()
    }
}

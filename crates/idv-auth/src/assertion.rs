//! The client assertion of bearer-token authentication ("Central Auth"): a compact JWS signed
//! with `PS384` by the application's key, which the token endpoint exchanges for an access
//! token (OAuth 2.0 client credentials with `private_key_jwt`, RFC 7523).
//!
//! ```text
//! header = {"alg":"PS384","typ":"JWT"}
//! claims = {"iss":"sdk:<SDK_ID>","sub":"sdk:<SDK_ID>","jti":"<UUID v4>",
//!           "aud":"<token endpoint URL>","exp":<iat + 300>,"iat":<now, Unix seconds>}
//! JWT    = B64URL(header) "." B64URL(claims) "." B64URL(RSASSA-PSS-SHA384(first two parts))
//! ```
//!
//! `B64URL` is base64url without padding. These are the claims and the lifetime Yoti's
//! official Java and PHP SDKs send; `aud` is a single string (Java sends a one-element
//! array, which the JWT standard also allows).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::signer::{NonceSource, RandomNonce};
use crate::{PrivateKey, SignError};

/// The default token endpoint: `https://auth.api.yoti.com/v1/oauth/token`.
pub const TOKEN_URL: &str = "https://auth.api.yoti.com/v1/oauth/token";

/// The lifetime of an assertion, `exp - iat`: 300 seconds, as the official SDKs (Yoti allows at
/// most 30 minutes).
pub const ASSERTION_LIFETIME_SECS: u64 = 300;

/// A signed client assertion (a compact JWS). A secret: whoever holds it can obtain a token
/// until it expires, so `Debug` never shows it and it is zeroized on drop; read it with
/// [`expose_secret`](Self::expose_secret) only to put it in the token request.
pub struct ClientAssertion {
    jwt: Zeroizing<String>,
}

impl ClientAssertion {
    /// Signs the assertion of application `sdk_id` for the token endpoint `audience`, issued
    /// at `issued_at` (Unix seconds), expiring [`ASSERTION_LIFETIME_SECS`] later, with the
    /// JWT id `jti` (Yoti requires 16 to 128 bytes, different for every assertion: use a
    /// UUID v4, as [`mint`](Self::mint) does).
    ///
    /// ```
    /// # #[cfg(any(feature = "rust-crypto", feature = "aws-lc-rs"))] {
    /// use idv_auth::{ClientAssertion, PrivateKey, TOKEN_URL};
    ///
    /// let key = PrivateKey::from_pem(include_str!("../tests/data/test-key.pem"))?;
    /// let jti = "5e3c1c2e-4b7a-4d2e-9f4e-0c8a1b2c3d4e";
    /// let assertion = ClientAssertion::new(&key, "my-sdk-id", TOKEN_URL, 1_800_000_000, jti)
    ///     .expect("signs");
    /// assert_eq!(assertion.expose_secret().split('.').count(), 3);
    /// assert_eq!(format!("{assertion:?}"), "ClientAssertion(<redacted>)");
    /// # }
    /// # Ok::<(), idv_auth::KeyError>(())
    /// ```
    ///
    /// # Errors
    /// [`SignError`] if the backend cannot sign.
    pub fn new(
        key: &PrivateKey,
        sdk_id: &str,
        audience: &str,
        issued_at: u64,
        jti: &str,
    ) -> Result<Self, SignError> {
        let subject = format!("sdk:{sdk_id}");
        let header = r#"{"alg":"PS384","typ":"JWT"}"#;
        let mut claims = String::with_capacity(256);
        claims.push_str("{\"iss\":");
        json_string(&mut claims, &subject);
        claims.push_str(",\"sub\":");
        json_string(&mut claims, &subject);
        claims.push_str(",\"jti\":");
        json_string(&mut claims, jti);
        claims.push_str(",\"aud\":");
        json_string(&mut claims, audience);
        let expires = issued_at.saturating_add(ASSERTION_LIFETIME_SECS);
        claims.push_str(&format!(",\"exp\":{expires},\"iat\":{issued_at}}}"));

        let mut jwt = Zeroizing::new(String::with_capacity(1024));
        URL_SAFE_NO_PAD.encode_string(header, &mut jwt);
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(claims.as_bytes(), &mut jwt);
        let signature = key.sign_pss_sha384(jwt.as_bytes())?;
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut jwt);
        Ok(Self { jwt })
    }

    /// An assertion issued now, with a fresh random UUID v4 as its `jti`.
    ///
    /// # Errors
    /// [`SignError`] if the backend cannot sign.
    pub fn mint(key: &PrivateKey, sdk_id: &str, audience: &str) -> Result<Self, SignError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::new(key, sdk_id, audience, now, &RandomNonce.nonce())
    }

    /// The compact JWS, to send as the `client_assertion` form parameter. Never log it.
    pub fn expose_secret(&self) -> &str {
        &self.jwt
    }
}

impl fmt::Debug for ClientAssertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientAssertion(<redacted>)")
    }
}

/// Appends `value` as a JSON string literal.
fn json_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\n");
        assert_eq!(out, r#""a\"b\\c\u000a""#);
    }
}

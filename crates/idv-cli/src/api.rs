//! The configured client every API command uses.

use std::path::Path;
use std::time::Duration;

use idv::{BlockingClient, ClientBuilder, ErrorReport, KeyError, Operation, PrivateKey};

use crate::failure::Failure;
use crate::ops::AsJson;
use crate::out::outln;
use crate::{AuthMode, Global, summary};

// ---------------------------------------------------------------------------------------------
// The client

/// A configured client and the base URL it talks to (for messages).
pub(crate) struct Api {
    pub(crate) client: BlockingClient,
    base_url: String,
}

impl Api {
    /// Builds the client from the global options. `need_sdk_id`: false for the calls
    /// signed without an SDK id.
    pub(crate) fn connect(global: &Global, need_sdk_id: bool) -> Result<Api, Failure> {
        let bearer = global.auth == AuthMode::Bearer;
        let sdk_id = match non_empty(&global.sdk_id) {
            Some(id) => id.to_owned(),
            // bearer tokens are asked for in the application's name
            None if need_sdk_id || bearer => {
                return Err(Failure::usage(
                    "no SDK id: pass --sdk-id or set YOTI_CLIENT_SDK_ID",
                ));
            }
            // not sent by the calls that do not need it
            None => "unused".to_owned(),
        };
        let key_path = global
            .key
            .as_deref()
            .filter(|p| !p.as_os_str().is_empty())
            .ok_or_else(|| {
                Failure::usage("no private key: pass --key KEY.pem or set YOTI_KEY_FILE_PATH")
            })?;
        let key = load_private_key(key_path)?;
        let mut builder = ClientBuilder::new().sdk_id(sdk_id).key(key);
        if let Some(url) = non_empty(&global.api_url) {
            builder = builder.base_url(url);
        }
        if bearer {
            builder = builder.bearer_auth();
            if let Some(url) = non_empty(&global.auth_url) {
                builder = builder.token_url(url);
            }
        }
        let timeout = Duration::from_secs(global.timeout.max(1));
        let client = builder
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build_blocking()
            .map_err(|e| match e.as_config().map(idv::ConfigError::kind) {
                Some(idv::ConfigErrorKind::InvalidBaseUrl) => {
                    Failure::usage(format!("--api-url / YOTI_IDV_API_URL: {}", ErrorReport(&e)))
                }
                Some(idv::ConfigErrorKind::InvalidAuth) => {
                    Failure::usage(format!("--auth-url / YOTI_AUTH_URL: {}", ErrorReport(&e)))
                }
                _ => Failure::usage(ErrorReport(&e)),
            })?;
        let base_url = client.config().base_url().to_string();
        Ok(Api { client, base_url })
    }

    pub(crate) fn fail(&self, what: &str, err: &idv::Error) -> Failure {
        Failure::from_sdk(what, &self.base_url, err)
    }

    /// `--json`: runs the SDK's `operation` and prints the server's whole answer, made inert
    /// for a terminal; `what` names the call in an error.
    pub(crate) fn print_json<O: Operation>(&self, what: &str, operation: O) -> Result<(), Failure> {
        let answer = self
            .client
            .execute(AsJson(operation))
            .map_err(|e| self.fail(what, &e))?;
        outln!("{}", summary::pretty(&answer))
    }
}

pub(crate) fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Loads the signing key; the error says which key problem, never the key.
pub(crate) fn load_private_key(path: &Path) -> Result<PrivateKey, Failure> {
    PrivateKey::from_pem_file(path).map_err(|e| match e {
        KeyError::Io { .. } => {
            Failure::usage(format!("{e}; hint: check --key / YOTI_KEY_FILE_PATH"))
        }
        _ => Failure::usage(format!("the key {} is not usable: {e}", path.display())),
    })
}

//! Operations the CLI needs in raw-JSON form, on the SDK's sans-IO `Operation` trait: they
//! are signed, sent, retried and error-mapped exactly like the SDK's own operations.

use http::Method;
use idv::Operation;
use idv::core::operation::decode_json;
use idv::core::request::{ApiRequest, Auth, Body, path_segment};
use serde_json::Value;

/// `POST /sessions` with a specification given as JSON bytes, sent unchanged.
pub(crate) struct CreateSessionRaw {
    pub(crate) spec: Vec<u8>,
}

impl Operation for CreateSessionRaw {
    type Output = Value;
    const NAME: &'static str = "create_session";
    const PATH_TEMPLATE: &'static str = "/sessions";

    fn is_idempotent(&self) -> bool {
        false
    }

    fn request(&self) -> Result<ApiRequest, idv::Error> {
        Ok(ApiRequest::new(Method::POST, "/sessions".to_owned())
            .with_body(Body::json(self.spec.clone())))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Value, idv::Error> {
        decode_json(response)
    }
}

/// `GET /sessions/{session_id}`, the answer as JSON.
pub(crate) struct GetSessionRaw<'a> {
    pub(crate) session_id: &'a str,
}

impl Operation for GetSessionRaw<'_> {
    type Output = Value;
    const NAME: &'static str = "get_session";
    const PATH_TEMPLATE: &'static str = "/sessions/{session_id}";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, idv::Error> {
        let sid = path_segment("session_id", self.session_id)?;
        Ok(ApiRequest::new(Method::GET, format!("/sessions/{sid}")))
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Value, idv::Error> {
        decode_json(response)
    }
}

/// `GET /supported-documents[?includeNonLatin=true]`, signed without `sdkId` (as the Node
/// SDK does: the parameter only when asked for).
pub(crate) struct SupportedDocuments {
    pub(crate) include_non_latin: bool,
}

impl Operation for SupportedDocuments {
    type Output = Value;
    const NAME: &'static str = "get_supported_documents";
    const PATH_TEMPLATE: &'static str = "/supported-documents";

    fn is_idempotent(&self) -> bool {
        true
    }

    fn request(&self) -> Result<ApiRequest, idv::Error> {
        let mut request = ApiRequest::new(Method::GET, "/supported-documents".to_owned())
            .with_auth(Auth::SignedWithoutSdkId);
        if self.include_non_latin {
            request = request.with_query("includeNonLatin", "true");
        }
        Ok(request)
    }

    fn parse(&self, response: http::Response<Vec<u8>>) -> Result<Value, idv::Error> {
        decode_json(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_the_expected_shape() {
        let create = CreateSessionRaw {
            spec: br#"{"a":1}"#.to_vec(),
        }
        .request()
        .expect("builds");
        assert_eq!(create.method(), Method::POST);
        assert_eq!(create.body().map(|b| b.bytes()), Some(&br#"{"a":1}"#[..]));

        let get = GetSessionRaw { session_id: "a/b" }
            .request()
            .expect("builds");
        assert_eq!(get.path(), "/sessions/a%2Fb");
        assert!(GetSessionRaw { session_id: ".." }.request().is_err());

        let docs = SupportedDocuments {
            include_non_latin: false,
        }
        .request()
        .expect("builds");
        assert_eq!(docs.path(), "/supported-documents");
    }
}

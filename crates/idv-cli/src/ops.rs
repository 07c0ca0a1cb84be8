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

/// Any SDK operation with its answer as JSON, for `--json`: the request (path, body, auth,
/// retry policy) is the SDK's own, only the parsing differs, so the output is what the
/// server said, fields the SDK does not model included.
pub(crate) struct AsJson<O>(pub(crate) O);

impl<O: Operation> Operation for AsJson<O> {
    type Output = Value;
    const NAME: &'static str = O::NAME;
    const PATH_TEMPLATE: &'static str = O::PATH_TEMPLATE;

    fn is_idempotent(&self) -> bool {
        self.0.is_idempotent()
    }

    fn is_media(&self) -> bool {
        self.0.is_media()
    }

    fn request(&self) -> Result<ApiRequest, idv::Error> {
        self.0.request()
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

    #[test]
    fn as_json_sends_the_sdk_request_and_keeps_every_field_of_the_answer() {
        let applicant_id = idv::model::ApplicantId::from("a/1");
        let inner = idv::operations::GetApplicant {
            applicant_id: &applicant_id,
        };
        let expected = inner.request().expect("builds");
        let op = AsJson(idv::operations::GetApplicant {
            applicant_id: &applicant_id,
        });
        let request = op.request().expect("builds");
        assert_eq!(request.method(), expected.method());
        assert_eq!(request.path(), expected.path());
        assert_eq!(request.path(), "/applicants/a%2F1");
        assert!(op.is_idempotent());
        assert_eq!(
            <AsJson<idv::operations::GetApplicant<'_>> as Operation>::NAME,
            <idv::operations::GetApplicant<'_> as Operation>::NAME
        );
        let create = idv::model::CreatePoolPayload::new("members");
        assert!(!AsJson(idv::operations::CreatePool { payload: &create }).is_idempotent());

        let answer = http::Response::builder()
            .status(200)
            .body(br#"{"id":"a-1","faces":{"faces":[]},"pools":[],"unmodelled":{"x":1}}"#.to_vec())
            .expect("response");
        let value = op.parse(answer).expect("parses");
        assert_eq!(value["unmodelled"]["x"], 1);
        let refused = http::Response::builder()
            .status(404)
            .body(br#"{"code":"APPLICANT_NOT_FOUND","message":"gone"}"#.to_vec())
            .expect("response");
        assert!(matches!(op.parse(refused), Err(idv::Error::Api(_))));
    }
}

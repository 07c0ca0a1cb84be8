//! Per-call overhead without a network: describe the call, build and sign the
//! `http::Request`, parse a canned response. For `create_session` (a realistic
//! specification, the 201 answer) and `get_session` (a ~20 KB session result), with each
//! signing backend.
//!
//! The canned response is cloned outside the measured routine.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use idv_auth::{Backend, PrivateKey, RequestSigner};
use idv_bench::{BENCH_SDK_ID, OFFLINE_BASE_URL, TEST_KEY_PEM, fixtures};
use idv_core::operations::{CreateSession, GetSession};
use idv_core::{BaseUrl, Operation};

fn call<O: Operation>(
    operation: &O,
    base: &BaseUrl,
    signer: &RequestSigner,
    response: http::Response<Vec<u8>>,
) -> O::Output {
    let request = operation.request().expect("describes");
    let http = request.to_http(base, signer).expect("builds and signs");
    black_box(&http);
    operation.parse(response).expect("parses")
}

fn per_call(c: &mut Criterion) {
    let base = BaseUrl::parse(OFFLINE_BASE_URL).expect("a base URL");
    let spec = fixtures::session_specification();
    let create = CreateSession { spec: &spec };
    let created = fixtures::json_response(201, fixtures::create_session_response_body());
    let get = GetSession {
        session_id: &fixtures::SESSION_ID.into(),
    };
    let session = fixtures::json_response(200, fixtures::session_result_20k());

    let mut group = c.benchmark_group("per_call");
    group.measurement_time(Duration::from_secs(4));
    for &backend in Backend::available() {
        let key = PrivateKey::from_pem_with_backend(TEST_KEY_PEM.as_bytes(), backend)
            .expect("the test key loads");
        let signer = RequestSigner::new(BENCH_SDK_ID, key);
        group.bench_function(format!("create_session/{backend}"), |b| {
            b.iter_batched(
                || created.clone(),
                |response| call(&create, &base, &signer, response),
                BatchSize::SmallInput,
            )
        });
        group.bench_function(format!("get_session/{backend}"), |b| {
            b.iter_batched(
                || session.clone(),
                |response| call(&get, &base, &signer, response),
                BatchSize::SmallInput,
            )
        });
    }
    // Without the signature: what the SDK adds around it (parse of the 20 KB result alone).
    group.bench_function("get_session_parse_only", |b| {
        b.iter_batched(
            || session.clone(),
            |response| get.parse(response).expect("parses"),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("get_session_typed_only", |b| {
        b.iter(|| {
            serde_json::from_slice::<idv_model::GetSessionResult>(black_box(session.body()))
                .expect("decodes")
        })
    });
    group.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);

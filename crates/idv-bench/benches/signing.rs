//! Signing: one RSASSA-PKCS1-v1_5/SHA-256 signature per backend, raw and as the
//! `X-Yoti-Auth-Digest` header value (string to sign + signature + base64).
//!
//! `scripts/bench.sh` compares these with `openssl speed -seconds 3 rsa2048` run in the same
//! session.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use idv_auth::{Backend, PrivateKey, RequestSigner};
use idv_bench::{BENCH_SDK_ID, TEST_KEY_PEM};

/// A realistic `GET /sessions/{id}` target.
const TARGET: &str = "/sessions/a1b2c3d4-e5f6-4a0b-8c1d-2e3f4a5b6c7d?sdkId=00000000-0000-4000-8000-0000000bench&nonce=6b1f0c3e-9a47-4d2b-8f3e-2c5d7a9b1e04&timestamp=1767225601000";

fn signing(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    group.measurement_time(Duration::from_secs(4));
    for &backend in Backend::available() {
        let key = PrivateKey::from_pem_with_backend(TEST_KEY_PEM.as_bytes(), backend)
            .expect("the test key loads");
        let message = format!("GET&{TARGET}");
        group.bench_function(format!("raw/{backend}"), |b| {
            b.iter(|| key.sign(black_box(message.as_bytes())).expect("signs"))
        });
        let signer = RequestSigner::new(BENCH_SDK_ID, key.clone());
        group.bench_function(format!("digest/{backend}"), |b| {
            b.iter(|| {
                signer
                    .digest("GET", black_box(TARGET), None)
                    .expect("signs")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);

//! Decoding a large (at least 1 MiB) session result: into the typed model, into
//! `serde_json::Value`, and through `GetSession::parse` (what a client call runs, with the
//! JSON path of errors kept).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use idv_bench::fixtures;
use idv_core::Operation;
use idv_core::operations::GetSession;

fn decode(c: &mut Criterion) {
    let bytes = fixtures::session_result_1m();
    let mut group = c.benchmark_group("decode_1mb");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("typed", |b| {
        b.iter(|| {
            serde_json::from_slice::<idv_model::GetSessionResult>(black_box(&bytes))
                .expect("decodes")
        })
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).expect("decodes"))
    });
    let operation = GetSession {
        session_id: &fixtures::SESSION_ID.into(),
    };
    group.bench_function("get_session_parse", |b| {
        b.iter_batched(
            || fixtures::json_response(200, bytes.clone()),
            |response| operation.parse(response).expect("parses"),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

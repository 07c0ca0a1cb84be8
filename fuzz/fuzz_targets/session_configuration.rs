//! Any bytes as the body of `GET /sessions/{id}/configuration`: a value or an error, never a
//! panic.
#![no_main]

use idv_core::Operation;
use idv_core::operations::GetSessionConfiguration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(data.to_vec())
        .expect("a valid response");
    let _ = GetSessionConfiguration { session_id: "s" }.parse(response);
});

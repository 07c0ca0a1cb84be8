//! `uniffi-bindgen`: UniFFI's binding generator, built from this crate so the generated
//! Python, Kotlin and Swift code comes from exactly the UniFFI version of the scaffolding.
//! maturin runs it for the Python module; for Kotlin and Swift see the README:
//!
//! ```text
//! cargo build -p idv-ffi
//! cargo run -p idv-ffi --features bindgen --bin uniffi-bindgen -- \
//!     generate --library target/debug/libidv_ffi.so --language kotlin --out-dir out/kotlin
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}

//! `uniffi-bindgen`: UniFFI's binding generator at exactly the UniFFI version of `idv-ffi`'s
//! scaffolding, so the generated Python, Kotlin and Swift code matches the library. maturin
//! runs it (found on `PATH`) for the Python module; for Kotlin and Swift see the README:
//!
//! ```text
//! cargo build -p idv-ffi
//! cargo run --manifest-path crates/idv-ffi/bindgen/Cargo.toml -- \
//!     generate --library target/debug/libidv_ffi.so --language kotlin --out-dir out/kotlin
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}

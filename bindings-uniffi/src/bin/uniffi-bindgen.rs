//! uniffi's binding generator, at the version this crate is built with:
//! `cargo run -p flowspec-uniffi --features cli --bin uniffi-bindgen --
//! generate --language kotlin --out-dir OUT target/debug/libflowspec_uniffi.so`.

fn main() {
    uniffi::uniffi_bindgen_main()
}

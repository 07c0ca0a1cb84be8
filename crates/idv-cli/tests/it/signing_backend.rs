//! The `idv` command signs with the aws-lc-rs backend: the `rsa` crate (RUSTSEC-2023-0071)
//! is only behind the opt-in `rust-crypto` feature.

#[test]
fn the_cli_signs_with_aws_lc_rs() {
    assert_eq!(idv::Backend::default_backend(), Some(idv::Backend::AwsLc));
}

//! The examples sign with the aws-lc-rs backend: the `rsa` crate (RUSTSEC-2023-0071) is only
//! behind the opt-in `rust-crypto` feature.

#[test]
fn the_examples_sign_with_aws_lc_rs() {
    let key = idv::PrivateKey::from_pem(include_str!("../../data/demo-key.pem"))
        .expect("the test key loads");
    assert_eq!(key.backend(), idv::Backend::AwsLc);
}

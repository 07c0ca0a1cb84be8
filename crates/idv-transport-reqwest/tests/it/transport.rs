//! `ReqwestTransport` against a loopback HTTP/1.1 server.

use std::error::Error as _;
use std::time::{Duration, Instant};

use idv_core::{AsyncTransport, TransportConfig, TransportError, TransportErrorKind};
use idv_test_support::{Action, SIGNED_TARGET, Server, chunked, head, refused_url, response};
use idv_transport_reqwest::{ReqwestTransport, reqwest};

fn config() -> TransportConfig {
    TransportConfig::new()
        .with_connect_timeout(Duration::from_secs(2))
        .with_timeout(Duration::from_secs(5))
}

fn build(config: TransportConfig) -> ReqwestTransport {
    ReqwestTransport::new(config).expect("a client")
}

fn transport() -> ReqwestTransport {
    build(config())
}

fn limited(max: usize) -> ReqwestTransport {
    build(config().with_max_response_bytes(max))
}

fn request(method: &str, url: &str, body: &[u8]) -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method(method)
        .uri(url)
        .body(body.to_vec())
        .expect("valid request")
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    request("GET", url, b"")
}

async fn send_ok(
    transport: &ReqwestTransport,
    req: http::Request<Vec<u8>>,
) -> http::Response<Vec<u8>> {
    match transport.send(req).await {
        Ok(response) => response,
        Err(err) => panic!("expected a response, got {err:?}"),
    }
}

async fn send_err(transport: &ReqwestTransport, req: http::Request<Vec<u8>>) -> TransportError {
    match transport.send(req).await {
        Ok(response) => panic!("expected an error, got status {}", response.status()),
        Err(err) => err,
    }
}

/// The error and its whole `source()` chain, as `Display` and `Debug`.
fn describe(err: &TransportError) -> String {
    let mut text = format!("{err} {err:?}");
    let mut source = err.source();
    while let Some(inner) = source {
        text.push_str(&format!(" | {inner} {inner:?}"));
        source = inner.source();
    }
    text
}

#[tokio::test]
async fn error_statuses_are_responses_with_their_body() {
    let server = Server::start(|req| match req.target() {
        "/missing" => Action::Reply(response("404 Not Found", &[], b"{\"error\":\"NOT_FOUND\"}")),
        _ => Action::Reply(response("500 Internal Server Error", &[], b"boom")),
    });
    let transport = transport();

    let not_found = send_ok(&transport, get(&server.url("/missing"))).await;
    assert_eq!(not_found.status(), 404);
    assert_eq!(not_found.body(), b"{\"error\":\"NOT_FOUND\"}");

    let failed = send_ok(&transport, get(&server.url("/fails"))).await;
    assert_eq!(failed.status(), 500);
    assert_eq!(failed.body(), b"boom");
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    let elsewhere = Server::replying(response("200 OK", &[], b"elsewhere"));
    let location = elsewhere.url("/target");
    let server = Server::start(move |req| match req.target() {
        "/absolute" => Action::Reply(response("302 Found", &[("location", &location)], b"moved")),
        _ => Action::Reply(response(
            "301 Moved Permanently",
            &[("location", "/relative-target")],
            b"",
        )),
    });
    let transport = transport();

    let found = send_ok(&transport, get(&server.url("/absolute"))).await;
    assert_eq!(found.status(), 302);
    assert_eq!(
        found.headers()["location"],
        elsewhere.url("/target").as_str()
    );
    assert_eq!(found.body(), b"moved");

    let moved = send_ok(&transport, get(&server.url("/relative"))).await;
    assert_eq!(moved.status(), 301);
    assert_eq!(moved.headers()["location"], "/relative-target");

    assert_eq!(
        elsewhere.connections(),
        0,
        "the Location target was contacted"
    );
    let targets: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.target().to_owned())
        .collect();
    assert_eq!(targets, ["/absolute", "/relative"]);
}

#[tokio::test]
async fn a_client_builder_from_the_caller_is_used_but_never_follows_redirects() {
    let server = Server::start(|req| match req.target() {
        "/redirect" => Action::Reply(response("302 Found", &[("location", "/next")], b"")),
        _ => Action::Reply(response("404 Not Found", &[], b"nope")),
    });
    // The builder keeps reqwest's default policy (up to ten redirects).
    let builder = reqwest::Client::builder().user_agent("caller-agent/1.0");
    let transport =
        ReqwestTransport::from_client_builder(builder, TransportConfig::DEFAULT_MAX_RESPONSE_BYTES)
            .expect("a client");
    assert_eq!(
        transport.max_response_bytes(),
        TransportConfig::DEFAULT_MAX_RESPONSE_BYTES
    );

    let redirect = send_ok(&transport, get(&server.url("/redirect"))).await;
    assert_eq!(redirect.status(), 302);
    let missing = send_ok(&transport, get(&server.url("/missing"))).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.body(), b"nope");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].header_values("user-agent"),
        ["caller-agent/1.0"]
    );
}

/// A signed POST answered with `307` (which asks for the same method and body elsewhere):
/// the transport hands the `307` back and the other port receives nothing, whatever redirect
/// policy the caller's builder had.
#[tokio::test]
async fn a_signed_post_is_not_replayed_to_a_307_location() {
    let elsewhere = Server::replying(response("200 OK", &[], b"captured"));
    let location = elsewhere.url(SIGNED_TARGET);
    let server = Server::start(move |_| {
        Action::Reply(response(
            "307 Temporary Redirect",
            &[("location", &location)],
            b"",
        ))
    });
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(10))
        .timeout(Duration::from_secs(5));
    let transports = [
        transport(),
        ReqwestTransport::from_client_builder(builder, 1024 * 1024).expect("a client"),
    ];
    for transport in &transports {
        let mut signed = request("POST", &server.url(SIGNED_TARGET), b"{\"a\":1}");
        signed
            .headers_mut()
            .insert("x-yoti-auth-digest", http::HeaderValue::from_static("c2ln"));
        let answer = send_ok(transport, signed).await;
        assert_eq!(answer.status(), 307);
    }
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        elsewhere.connections(),
        0,
        "the Location target was contacted"
    );
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    // The head promises ten megabytes, then nothing comes: only the header can give it away.
    let mut bytes = head("200 OK", &[("content-length", "10000000")]);
    bytes.extend_from_slice(b"\r\n");
    let server =
        Server::start(move |_| Action::ReplyAndStall(bytes.clone(), Duration::from_secs(20)));

    let started = Instant::now();
    let err = send_err(&limited(100), get(&server.url("/big"))).await;
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    let server = Server::replying(response("200 OK", &[], &[b'x'; 1000]));
    let err = send_err(&limited(100), get(&server.url("/big"))).await;
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_refused() {
    let chunk = [b'y'; 50];
    let chunks = vec![&chunk[..]; 10];
    let server = Server::replying(chunked("200 OK", &[], &chunks));
    let err = send_err(&limited(100), get(&server.url("/chunked"))).await;
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
}

#[tokio::test]
async fn a_close_delimited_body_over_the_limit_is_refused() {
    let mut bytes = head("200 OK", &[("connection", "close")]);
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(&[b'z'; 1000]);
    let server = Server::start(move |_| Action::ReplyAndClose(bytes.clone()));
    let err = send_err(&limited(100), get(&server.url("/stream"))).await;
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_is_read() {
    let server = Server::start(|req| match req.target() {
        "/length" => Action::Reply(response("200 OK", &[], &[b'a'; 100])),
        _ => Action::Reply(chunked("200 OK", &[], &[&[b'b'; 60], &[b'c'; 40]])),
    });
    let transport = limited(100);

    let by_length = send_ok(&transport, get(&server.url("/length"))).await;
    assert_eq!(by_length.body(), &[b'a'; 100]);

    let by_chunks = send_ok(&transport, get(&server.url("/chunked"))).await;
    assert_eq!(by_chunks.body().len(), 100);
    assert_eq!(&by_chunks.body()[..60], &[b'b'; 60]);
}

#[tokio::test]
async fn the_content_length_of_a_head_response_is_not_a_body() {
    let server = Server::replying(b"HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n".to_vec());
    let response = send_ok(&limited(100), request("HEAD", &server.url("/media"), b"")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], "1000000");
    assert!(response.body().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = Server::start(|_| Action::ReplyAndStall(Vec::new(), Duration::from_secs(20)));
    let transport = build(config().with_timeout(Duration::from_millis(300)));

    let started = Instant::now();
    let err = send_err(&transport, get(&server.url("/slow"))).await;
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.is_timeout());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_body_that_stops_arriving_times_out() {
    let mut partial = head("200 OK", &[("content-length", "100")]);
    partial.extend_from_slice(b"\r\nonly ten b");
    let server =
        Server::start(move |_| Action::ReplyAndStall(partial.clone(), Duration::from_secs(20)));
    let transport = build(config().with_timeout(Duration::from_millis(300)));

    let started = Instant::now();
    let err = send_err(&transport, get(&server.url("/slow-body"))).await;
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let err = send_err(&transport(), get(&refused_url("/sessions"))).await;
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.is_connect());
    assert!(
        err.source().is_some(),
        "reqwest's error is kept as the source"
    );
}

#[tokio::test]
async fn a_truncated_body_is_another_error() {
    let mut partial = head("200 OK", &[("content-length", "100")]);
    partial.extend_from_slice(b"\r\nonly ten b");
    let server = Server::start(move |_| Action::ReplyAndClose(partial.clone()));
    let err = send_err(&transport(), get(&server.url("/cut"))).await;
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
}

#[tokio::test]
async fn a_connection_closed_without_a_response_is_another_error() {
    let server = Server::start(|_| Action::Close);
    let err = send_err(&transport(), get(&server.url("/hangup"))).await;
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
}

#[tokio::test]
async fn a_relative_uri_is_a_request_error() {
    let err = send_err(
        &transport(),
        get("/idverify/v1/sessions?sdkId=secret-sdk-id"),
    )
    .await;
    assert_eq!(err.kind(), TransportErrorKind::Request);
    assert!(!describe(&err).contains("secret-sdk-id"));
}

#[tokio::test]
async fn errors_never_mention_the_uri() {
    let refused = send_err(
        &transport(),
        get(&refused_url("/sessions?sdkId=secret-sdk-id")),
    )
    .await;
    assert!(
        !describe(&refused).contains("secret-sdk-id"),
        "{}",
        describe(&refused)
    );

    let server = Server::start(|_| Action::ReplyAndStall(Vec::new(), Duration::from_secs(20)));
    let transport = build(config().with_timeout(Duration::from_millis(200)));
    let timeout = send_err(
        &transport,
        get(&server.url("/sessions?sdkId=secret-sdk-id")),
    )
    .await;
    assert!(
        !describe(&timeout).contains("secret-sdk-id"),
        "{}",
        describe(&timeout)
    );
}

#[tokio::test]
async fn the_request_arrives_byte_for_byte_and_the_response_comes_back_whole() {
    let response_body: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
    let reply = response(
        "201 Created",
        &[
            ("set-cookie", "a=1"),
            ("x-multi", "first"),
            ("set-cookie", "b=2; Path=/"),
            ("x-multi", "second"),
            ("x-spaced", "a value  with   spaces"),
        ],
        &response_body,
    );
    let server = Server::replying(reply);
    let request_body = b"{\"k\":\"v\"}\r\n\0\xff\xfe binary".to_vec();
    let req = http::Request::builder()
        .method("POST")
        .uri(server.url(SIGNED_TARGET))
        .header("content-type", "application/json")
        .header("x-yoti-auth-digest", "c2lnbmF0dXJl+/==")
        .header("x-multi", "one")
        .header("x-multi", "two")
        .body(request_body.clone())
        .expect("valid request");

    let response = send_ok(&transport(), req).await;

    let received = &server.requests()[0];
    assert_eq!(
        received.request_line(),
        format!("POST {SIGNED_TARGET} HTTP/1.1")
    );
    assert_eq!(received.body, request_body);
    assert_eq!(received.header_values("content-type"), ["application/json"]);
    assert_eq!(
        received.header_values("x-yoti-auth-digest"),
        ["c2lnbmF0dXJl+/=="]
    );
    assert_eq!(received.header_values("x-multi"), ["one", "two"]);
    assert_eq!(
        received.header_values("content-length"),
        [request_body.len().to_string()]
    );
    assert!(received.header_values("transfer-encoding").is_empty());

    assert_eq!(response.status(), 201);
    assert_eq!(response.version(), http::Version::HTTP_11);
    let values = |name: &str| -> Vec<&str> {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("ascii header"))
            .collect()
    };
    assert_eq!(values("set-cookie"), ["a=1", "b=2; Path=/"]);
    assert_eq!(values("x-multi"), ["first", "second"]);
    assert_eq!(values("x-spaced"), ["a value  with   spaces"]);
    assert_eq!(response.body(), &response_body);
}

#[tokio::test]
async fn an_empty_body_is_framed_only_where_the_method_gives_content_a_meaning() {
    let server = Server::replying(response("204 No Content", &[], b""));
    let transport = transport();
    for method in ["GET", "DELETE", "POST", "PUT", "PATCH"] {
        send_ok(&transport, request(method, &server.url("/empty"), b"")).await;
    }

    for received in server.requests() {
        let length = received.header_values("content-length");
        assert!(received.header_values("transfer-encoding").is_empty());
        match received.method() {
            "GET" | "DELETE" => assert!(length.is_empty(), "{}", received.head),
            _ => assert_eq!(length, ["0"], "{}", received.head),
        }
        assert!(received.body.is_empty());
    }
}

#[tokio::test]
async fn connections_are_kept_alive_across_calls() {
    let server = Server::replying(response(
        "200 OK",
        &[("content-type", "application/json")],
        b"{}",
    ));
    let transport = transport();
    let clone = transport.clone();

    for i in 0..20 {
        let sender = if i % 2 == 0 { &transport } else { &clone };
        let response = send_ok(sender, get(&server.url(&format!("/call/{i}")))).await;
        assert_eq!(response.body(), b"{}");
    }

    assert_eq!(server.requests().len(), 20);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn targets_the_url_parser_would_alter_are_refused_unsent() {
    let server = Server::replying(response("200 OK", &[], b""));
    let transport = transport();
    // Each is a valid `http::Uri` that `url` would rewrite: dot segments are removed (also
    // when escaped), `'` in a query and `{`/`}`/`"` in a path are escaped.
    for target in [
        "/a/./b",
        "/a/b/../c",
        "/a/%2e%2e/c",
        "/sessions?sdkId=x'y",
        "/a{b}",
        "/a\"b",
    ] {
        let err = send_err(&transport, get(&server.url(target))).await;
        assert_eq!(err.kind(), TransportErrorKind::Request, "{target}: {err:?}");
        let reason = err.source().map(ToString::to_string).unwrap_or_default();
        assert!(
            reason.contains("not be sent as given"),
            "{target}: {reason}"
        );
    }
    assert_eq!(server.connections(), 0);
}

#[tokio::test(start_paused = true)]
async fn waiting_uses_the_tokio_timer() {
    let transport = transport();
    let started = tokio::time::Instant::now();
    // With the clock paused, only tokio's timer returns from an hour's wait at once.
    transport.sleep(Duration::from_secs(3600)).await;
    assert!(started.elapsed() >= Duration::from_secs(3600));
}

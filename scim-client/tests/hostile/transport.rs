//! Sizes and broken transports: huge strings within the limit, deep nesting, bodies over the
//! limit (`ClientBuilder::max_response_bytes`, default 32 MiB), bodies that never end or
//! dribble, `Content-Length` headers that lie, connections closed mid-body, garbage.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use scim_client::Client;
use scim_client::client::{RetryPolicy, SCIM_JSON};
use scim_client::error::Error;
use scim_client::model::User;
use scim_client::transport::DEFAULT_MAX_RESPONSE_BYTES;
use serde_json::json;
use tokio::net::TcpStream;
use wiremock::MockServer;

use super::common::{
    Expect, Op, answer, bounded, cases, page_json, perform, raw, scim, user, user_json, verify,
};
use super::raw::{self as tcp, Stats};

/// A client for `base` with this timeout and body limit, no retries.
fn limited(base: &str, timeout: Duration, limit: usize) -> Client {
    Client::builder(base)
        .retry(RetryPolicy::none())
        .timeout(timeout)
        .max_response_bytes(limit)
        .build()
        .expect("client builds")
}

/// `GET /Users/1` against `base` with `client`, within the bound; answers the outcome and the
/// time it took.
async fn get_user(c: &Client) -> (Result<String, Error>, Duration) {
    let started = Instant::now();
    let outcome = bounded(perform(Op::Get, c)).await;
    (outcome, started.elapsed())
}

/// A nest of `depth` arrays.
fn deep(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

cases! {
    // Huge values within the default limit work; deep nesting is an error, not a crash.
    five_megabyte_user_name_within_the_limit: Get, user(&json!({"userName": "u".repeat(5 * 1024 * 1024)})) => Expect::OkWith("uuuuuuuu");
    five_megabyte_unknown_attribute_is_kept: GetGroup, super::common::group(&json!({"urn:example:blob": "b".repeat(5 * 1024 * 1024)})) => Expect::OkWith("bbbbbbbb");
    ten_thousand_emails: Get, user(&json!({"emails": (0..10_000).map(|i| json!({"value": format!("u{i}@example.com")})).collect::<Vec<_>>()})) => Expect::OkWith("u9999@example.com");
    deep_nesting_in_an_unknown_attribute: Get, raw(200, format!(r#"{{"id":"1","userName":"b","x":{}}}"#, deep(10_000)), SCIM_JSON) => Expect::DecodeSays("User", "recursion");
    deep_nesting_in_a_known_attribute: Get, raw(200, format!(r#"{{"id":"1","userName":"b","name":{}}}"#, deep(10_000)), SCIM_JSON) => Expect::Decode("User", "name");
    deep_nesting_of_objects_in_a_list: List, raw(200, format!(r#"{{"Resources":[{{"id":"u1","a":{}1{}}}]}}"#, r#"{"a":"#.repeat(10_000), "}".repeat(10_000)), SCIM_JSON) => Expect::DecodeIn("ListResponse", "Resources[0]");
    deep_nesting_in_an_extension: GetEnterprise, raw(200, format!(r#"{{"id":"1","urn:example:ext":{}}}"#, deep(10_000)), SCIM_JSON) => Expect::DecodeIn("User", "");
    deep_nesting_in_a_config: Config, raw(200, format!(r#"{{"patch":{}}}"#, deep(10_000)), SCIM_JSON) => Expect::Decode("ServiceProviderConfig", "patch");
    huge_number_in_an_unknown_attribute: Get, raw(200, format!(r#"{{"id":"1","userName":"b","big":1{}}}"#, "0".repeat(100_000)), SCIM_JSON) => Expect::DecodeIn("User", "");
}

#[tokio::test]
async fn the_documented_default_limit_is_32_mib() {
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 32 * 1024 * 1024);
}

#[tokio::test]
async fn a_body_over_the_limit_with_an_honest_length_is_too_large() {
    let server = MockServer::start().await;
    answer(
        &server,
        scim(200, &with_display_name(&"x".repeat(2 * 1024 * 1024))),
    )
    .await;
    let c = limited(&server.uri(), Duration::from_secs(3), 1024 * 1024);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::TooLarge);
}

#[tokio::test]
async fn a_list_over_the_limit_is_too_large() {
    let server = MockServer::start().await;
    let resources: Vec<_> = (0..5_000)
        .map(|i| user_json(&format!("u{i}"), "x"))
        .collect();
    answer(&server, scim(200, &page_json(&resources, &json!({})))).await;
    let c = limited(&server.uri(), Duration::from_secs(3), 64 * 1024);
    let outcome = bounded(perform(Op::List, &c)).await;
    verify(&outcome, Expect::TooLarge);
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_accepted() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&user_json("1", "bjensen")).expect("serializes");
    let limit = body.len();
    answer(&server, raw(200, body, SCIM_JSON)).await;
    let c = limited(&server.uri(), Duration::from_secs(3), limit);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::OkWith("bjensen"));
}

fn with_display_name(name: &str) -> serde_json::Value {
    super::common::with(user_json("1", "bjensen"), &json!({"displayName": name}))
}

// ---------------------------------------------------------------------------------------------
// Raw TCP: bodies that never end, lying lengths, closed connections.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_not_read_to_the_end() {
    let (base, stats) = tcp::server(tcp::firehose).await;
    let c = limited(&base, Duration::from_secs(4), 1024 * 1024);
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::TooLarge);
    assert!(took < Duration::from_secs(3), "took {took:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = stats.written.load(Ordering::SeqCst);
    assert!(
        written < 64 * 1024 * 1024,
        "the client read {written} bytes of a body over a 1 MiB limit"
    );
}

#[tokio::test]
async fn a_never_ending_dribble_ends_with_the_timeout() {
    let (base, _) =
        tcp::server(|s: TcpStream, st: Arc<Stats>| tcp::dribble(s, st, Duration::from_millis(20)))
            .await;
    let c = limited(
        &base,
        Duration::from_millis(600),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn a_dribble_over_a_small_limit_ends_with_the_limit() {
    let (base, _) =
        tcp::server(|s: TcpStream, st: Arc<Stats>| tcp::dribble(s, st, Duration::from_millis(1)))
            .await;
    let c = limited(&base, Duration::from_secs(4), 100);
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::TooLarge);
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test]
async fn a_dribble_is_not_retried_forever() {
    let (base, stats) =
        tcp::server(|s: TcpStream, st: Arc<Stats>| tcp::dribble(s, st, Duration::from_millis(20)))
            .await;
    let c = Client::builder(&base)
        .timeout(Duration::from_millis(300))
        .retry(
            RetryPolicy::default()
                .max_retries(2)
                .base_delay(Duration::from_millis(10)),
        )
        .build()
        .expect("client builds");
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert_eq!(stats.connections.load(Ordering::SeqCst), 3, "1 + 2 retries");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test]
async fn headers_then_silence_ends_with_the_timeout() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        tcp::then_hang(s, st, tcp::head("Content-Length: 100\r\n"))
    })
    .await;
    let c = limited(
        &base,
        Duration::from_millis(500),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn no_answer_at_all_ends_with_the_timeout() {
    let (base, _) =
        tcp::server(|s: TcpStream, st: Arc<Stats>| tcp::then_hang(s, st, Vec::new())).await;
    let c = limited(
        &base,
        Duration::from_millis(500),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn headers_that_never_end_end_with_an_error() {
    let (base, _) = tcp::server(|mut s: TcpStream, st: Arc<Stats>| async move {
        if !tcp::send(&mut s, &st, b"HTTP/1.1 200 OK\r\n").await {
            return;
        }
        let line = format!("X-Padding: {}\r\n", "p".repeat(1000));
        while tcp::send(&mut s, &st, line.as_bytes()).await {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    let c = limited(
        &base,
        Duration::from_millis(1500),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test]
async fn content_length_larger_than_the_body_then_silence_times_out() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Content-Length: 1000\r\n");
        bytes.extend_from_slice(br#"{"id":"1","userName":"b"}"#);
        tcp::then_hang(s, st, bytes)
    })
    .await;
    let c = limited(
        &base,
        Duration::from_millis(500),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn content_length_larger_than_the_body_then_close_is_a_transport_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Content-Length: 1000\r\n");
        bytes.extend_from_slice(br#"{"id":"1","userName":"b"}"#);
        tcp::then_close(s, st, bytes)
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
}

#[tokio::test]
async fn content_length_smaller_than_the_body_is_a_decode_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Content-Length: 12\r\n");
        bytes.extend_from_slice(br#"{"id":"1","userName":"bjensen"}"#);
        tcp::then_close(s, st, bytes)
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::DecodeIn("User", ""));
}

#[tokio::test]
async fn content_length_over_the_limit_is_refused_before_reading() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        tcp::then_hang(s, st, tcp::head("Content-Length: 10737418240\r\n"))
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::TooLarge);
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[tokio::test]
async fn content_length_beyond_u64_sized_values_is_a_transport_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        tcp::then_hang(s, st, tcp::head("Content-Length: 18446744073709551615\r\n"))
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

/// Many distinct unknown attributes (a 300 KB body) must decode in linear time: a quadratic
/// duplicate check turns a small body into seconds of CPU.
#[tokio::test]
async fn twenty_thousand_unknown_keys_decode_in_linear_time() {
    let server = MockServer::start().await;
    let mut body = serde_json::Map::new();
    body.insert("id".to_owned(), json!("g1"));
    for i in 0..20_000 {
        body.insert(format!("k{i}"), json!(i));
    }
    answer(&server, scim(200, &serde_json::Value::Object(body))).await;
    let c = limited(
        &server.uri(),
        Duration::from_secs(30),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let started = Instant::now();
    let outcome = perform(Op::GetGroup, &c).await;
    let took = started.elapsed();
    verify(&outcome, Expect::OkWith("k19999"));
    assert!(
        took < Duration::from_millis(1500),
        "20,000 unknown keys took {took:?} to decode"
    );
}

#[tokio::test]
async fn conflicting_content_lengths_are_a_transport_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Content-Length: 5\r\nContent-Length: 30\r\n");
        bytes.extend_from_slice(br#"{"id":"1","userName":"bjensen"}"#);
        tcp::then_close(s, st, bytes)
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
}

#[tokio::test]
async fn connection_closed_mid_chunked_body_is_a_transport_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Transfer-Encoding: chunked\r\n");
        bytes.extend_from_slice(&tcp::chunk(br#"{"id":"1","userN"#));
        tcp::then_close(s, st, bytes)
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
}

#[tokio::test]
async fn connection_closed_before_any_answer_is_a_transport_error() {
    let (base, _) =
        tcp::server(|s: TcpStream, st: Arc<Stats>| tcp::then_close(s, st, Vec::new())).await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let outcome = bounded(perform(Op::Create, &c)).await;
    verify(&outcome, Expect::Transport);
}

#[tokio::test]
async fn garbage_instead_of_a_status_line_is_a_transport_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        tcp::then_close(s, st, b"SCIM/9.9 OK maybe\r\n\r\n{}".to_vec())
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
}

#[tokio::test]
async fn a_bad_chunk_size_is_a_transport_error() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Transfer-Encoding: chunked\r\n");
        bytes.extend_from_slice(b"zz\r\n{}\r\n0\r\n\r\n");
        tcp::then_close(s, st, bytes)
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::Transport);
}

#[tokio::test]
async fn a_body_without_length_ended_by_close_is_read() {
    let (base, _) = tcp::server(|s: TcpStream, st: Arc<Stats>| {
        let mut bytes = tcp::head("Connection: close\r\n");
        bytes.extend_from_slice(br#"{"id":"1","userName":"bjensen"}"#);
        tcp::then_close(s, st, bytes)
    })
    .await;
    let c = limited(&base, Duration::from_secs(3), DEFAULT_MAX_RESPONSE_BYTES);
    let (outcome, _) = get_user(&c).await;
    verify(&outcome, Expect::OkWith("bjensen"));
}

#[tokio::test]
async fn a_close_delimited_body_over_the_limit_is_too_large() {
    let (base, stats) = tcp::server(|mut s: TcpStream, st: Arc<Stats>| async move {
        if !tcp::send(&mut s, &st, &tcp::head("Connection: close\r\n")).await {
            return;
        }
        let block = vec![b' '; 64 * 1024];
        for _ in 0..16 * 1024 {
            if !tcp::send(&mut s, &st, &block).await {
                return;
            }
        }
    })
    .await;
    let c = limited(&base, Duration::from_secs(4), 256 * 1024);
    let (outcome, took) = get_user(&c).await;
    verify(&outcome, Expect::TooLarge);
    assert!(took < Duration::from_secs(3), "took {took:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(stats.written.load(Ordering::SeqCst) < 64 * 1024 * 1024);
}

/// The user of `five_megabyte_user_name_within_the_limit` really is whole.
#[tokio::test]
async fn a_five_megabyte_string_arrives_whole() {
    let server = MockServer::start().await;
    let name = "n".repeat(5 * 1024 * 1024);
    answer(&server, user(&json!({"userName": name}))).await;
    let c = limited(
        &server.uri(),
        Duration::from_secs(4),
        DEFAULT_MAX_RESPONSE_BYTES,
    );
    let got = bounded(c.resource::<User>().get("1"))
        .await
        .expect("within the limit");
    assert_eq!(got.user_name.map(|n| n.len()), Some(5 * 1024 * 1024));
}

//! A few hostile answers to `blocking::Client`: the same variants as the async client, within
//! a bounded time. The fakes run on a Tokio runtime of their own; the blocking client is used
//! from a plain thread, outside any runtime.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use scim_client::blocking;
use scim_client::client::{RetryPolicy, SCIM_JSON};
use scim_client::error::Error;
use scim_client::model::User;
use scim_client::protocol::SearchRequest;
use serde_json::json;
use tokio::net::TcpStream;
use wiremock::{MockServer, ResponseTemplate};

use super::common::{Expect, TOKEN, answer, raw, requests, scim, user_json, verify};
use super::raw::{self as tcp, Stats};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the fakes")
}

fn blocking_client(base: &str, timeout: Duration, limit: usize) -> blocking::Client {
    blocking::Client::builder(base)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .timeout(timeout)
        .max_response_bytes(limit)
        .build()
        .expect("client builds")
}

/// Runs `f` on its own thread, failing if it takes more than 5 s.
fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the blocking client must answer within the bound")
}

/// `GET /Users/1` with the blocking client against a fake answering `template`.
fn get_against(
    template: ResponseTemplate,
) -> (Result<String, Error>, MockServer, tokio::runtime::Runtime) {
    let rt = runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        answer(&server, template).await;
        server
    });
    let base = server.uri();
    let outcome = bounded(move || {
        let c = blocking_client(&base, Duration::from_secs(3), 1024 * 1024);
        c.resource::<User>().get("1").map(|u| format!("{u:?}"))
    });
    (outcome, server, rt)
}

#[test]
fn blocking_truncated_json_is_a_decode_error() {
    let (outcome, _s, _rt) = get_against(raw(200, r#"{"id":"1","userName":"bj"#, SCIM_JSON));
    verify(&outcome, Expect::DecodeIn("User", "userName"));
}

#[test]
fn blocking_html_200_is_an_unexpected_content_type() {
    let (outcome, _s, _rt) = get_against(raw(200, "<html>login</html>", "text/html"));
    verify(&outcome, Expect::ContentType(200, Some("text/html")));
}

#[test]
fn blocking_wrong_type_names_the_path() {
    let body = super::common::with(
        user_json("1", "b"),
        &json!({"emails": [{"primary": "yes"}]}),
    );
    let (outcome, _s, _rt) = get_against(scim(200, &body));
    verify(&outcome, Expect::Decode("User", "emails[0].primary"));
}

#[test]
fn blocking_body_over_the_limit_is_too_large() {
    let body = super::common::with(
        user_json("1", "b"),
        &json!({"displayName": "x".repeat(2 * 1024 * 1024)}),
    );
    let (outcome, _s, _rt) = get_against(scim(200, &body));
    verify(&outcome, Expect::TooLarge);
}

#[test]
fn blocking_redirect_is_not_followed_with_the_token() {
    let rt = runtime();
    let (home, evil) = rt.block_on(async {
        let home = MockServer::start().await;
        let evil = MockServer::start().await;
        answer(&evil, scim(200, &user_json("1", "b"))).await;
        answer(
            &home,
            ResponseTemplate::new(302).insert_header("Location", format!("{}/Users/1", evil.uri())),
        )
        .await;
        (home, evil)
    });
    let base = home.uri();
    let outcome = bounded(move || {
        let c = blocking_client(&base, Duration::from_secs(3), 1024 * 1024);
        c.resource::<User>().get("1").map(|u| format!("{u:?}"))
    });
    verify(&outcome, Expect::Status(302));
    assert!(
        rt.block_on(requests(&evil)).is_empty(),
        "the redirect was followed"
    );
}

#[test]
fn blocking_never_ending_body_ends_with_the_timeout() {
    let rt = runtime();
    let (base, _) = rt.block_on(tcp::server(|s: TcpStream, st: Arc<Stats>| {
        tcp::dribble(s, st, Duration::from_millis(20))
    }));
    let started = Instant::now();
    let outcome = bounded(move || {
        let c = blocking_client(&base, Duration::from_millis(600), 1024 * 1024);
        c.resource::<User>().get("1").map(|u| format!("{u:?}"))
    });
    verify(&outcome, Expect::Transport);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn blocking_chunked_body_over_the_limit_is_too_large() {
    let rt = runtime();
    let (base, _) = rt.block_on(tcp::server(tcp::firehose));
    let outcome = bounded(move || {
        let c = blocking_client(&base, Duration::from_secs(4), 1024 * 1024);
        c.resource::<User>().get("1").map(|u| format!("{u:?}"))
    });
    verify(&outcome, Expect::TooLarge);
}

#[test]
fn blocking_stream_over_a_server_ignoring_start_index_ends() {
    let rt = runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        let page = json!({"schemas": [super::common::LIST], "totalResults": 100,
            "Resources": [user_json("u1", "a"), user_json("u2", "b")]});
        answer(&server, scim(200, &page)).await;
        server
    });
    let base = server.uri();
    let items = bounded(move || {
        let c = blocking_client(&base, Duration::from_secs(3), 1024 * 1024);
        c.resource::<User>()
            .stream(SearchRequest::new())
            .take(1_000)
            .collect::<Vec<_>>()
    });
    assert_eq!(items.len(), 3, "two users and an error: {items:?}");
    assert!(matches!(
        items.last(),
        Some(Err(Error::UnexpectedStatus { .. }))
    ));
}

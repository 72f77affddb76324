//! 304, 412, 429, 500, 502 and 503 with odd or missing bodies and odd `Retry-After` values
//! (huge, negative, HTTP dates, garbage): the right error, after a bounded number of attempts
//! and a bounded time.

use std::time::{Duration, Instant};

use scim_client::Client;
use scim_client::client::RetryPolicy;
use scim_client::error::Error;
use scim_client::model::User;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use super::common::{
    Expect, Op, TOKEN, answer, bounded, cases, error_body, held_user, perform, raw, requests, scim,
    user_json, verify,
};

cases! {
    not_modified_on_a_plain_get: Get, ResponseTemplate::new(304) => Expect::Status(304);
    not_modified_with_a_body_on_refresh: Refresh, raw(304, "{\"id\": \"garbage\"", "text/html") => Expect::OkWith("NotModified");
    not_modified_on_create: Create, ResponseTemplate::new(304) => Expect::Status(304);
    precondition_failed_without_body: Replace, ResponseTemplate::new(412) => Expect::Status(412);
    precondition_failed_with_html: Patch, raw(412, "<h1>Precondition Failed</h1>", "text/html") => Expect::StatusBody(412, "Precondition");
    precondition_failed_with_a_scim_body: Delete, scim(412, &error_body(&json!("412"), None, Some("stale"))) => Expect::Scim(412, None);
    too_many_requests_on_create_is_not_retried: Create, ResponseTemplate::new(429).insert_header("Retry-After", "1") => Expect::Status(429);
    internal_error_empty: Get, ResponseTemplate::new(500) => Expect::StatusBody(500, "");
    internal_error_with_a_json_non_scim_body: List, scim(500, &json!({"error": "boom"})) => Expect::StatusBody(500, "boom");
    bad_gateway_html: Get, raw(502, "<html>502 Bad Gateway</html>", "text/html") => Expect::StatusBody(502, "Bad Gateway");
    service_unavailable_plain_text: Search, raw(503, "maintenance", "text/plain") => Expect::StatusBody(503, "maintenance");
    teapot_with_a_user_body: Get, scim(418, &user_json("1", "b")) => Expect::Status(418);
    informational_status_code_as_final: Get, ResponseTemplate::new(299) => Expect::Status(299);
}

/// A client retrying twice with short delays, capped at 200 ms each.
fn retrying(server: &MockServer) -> Client {
    let mut policy = RetryPolicy::default()
        .max_retries(2)
        .base_delay(Duration::from_millis(10));
    policy.max_delay = Duration::from_millis(200);
    Client::builder(&server.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(2))
        .retry(policy)
        .build()
        .expect("client builds")
}

/// `op` against a server always answering `status` with `Retry-After: retry_after`: the final
/// error is `expect`, after `attempts` requests, within 2 s.
async fn retry_case(
    op: Op,
    status: u16,
    retry_after: Option<&str>,
    expect: Expect,
    attempts: usize,
) {
    let server = MockServer::start().await;
    let mut template = raw(status, "", "text/plain");
    if let Some(v) = retry_after {
        template = template.insert_header("Retry-After", v);
    }
    answer(&server, template).await;
    let c = retrying(&server);
    let started = Instant::now();
    let outcome = bounded(perform(op, &c)).await;
    let took = started.elapsed();
    verify(&outcome, expect);
    assert_eq!(requests(&server).await.len(), attempts, "attempts");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn retry_after_huge_is_capped() {
    retry_case(Op::Get, 503, Some("999999999999"), Expect::Status(503), 3).await;
}

#[tokio::test]
async fn retry_after_beyond_u64_falls_back_to_backoff() {
    retry_case(
        Op::Get,
        429,
        Some("99999999999999999999999"),
        Expect::Status(429),
        3,
    )
    .await;
}

#[tokio::test]
async fn retry_after_negative_falls_back_to_backoff() {
    retry_case(Op::Delete, 503, Some("-30"), Expect::Status(503), 3).await;
}

#[tokio::test]
async fn retry_after_garbage_falls_back_to_backoff() {
    retry_case(
        Op::Replace,
        502,
        Some("soon, maybe"),
        Expect::Status(502),
        3,
    )
    .await;
}

#[tokio::test]
async fn retry_after_fractional_falls_back_to_backoff() {
    retry_case(Op::List, 503, Some("0.5"), Expect::Status(503), 3).await;
}

#[tokio::test]
async fn retry_after_far_future_http_date_is_capped() {
    retry_case(
        Op::Get,
        503,
        Some("Fri, 31 Dec 9999 23:59:59 GMT"),
        Expect::Status(503),
        3,
    )
    .await;
}

#[tokio::test]
async fn retry_after_past_http_date_retries_at_once() {
    retry_case(
        Op::Get,
        429,
        Some("Thu, 01 Jan 1970 00:00:00 GMT"),
        Expect::Status(429),
        3,
    )
    .await;
}

#[tokio::test]
async fn retry_after_empty_falls_back_to_backoff() {
    retry_case(Op::Config, 503, Some(""), Expect::Status(503), 3).await;
}

#[tokio::test]
async fn gateway_timeout_without_retry_after() {
    retry_case(Op::Get, 504, None, Expect::Status(504), 3).await;
}

#[tokio::test]
async fn service_unavailable_on_patch_is_not_retried() {
    retry_case(Op::Patch, 503, Some("0"), Expect::Status(503), 1).await;
}

#[tokio::test]
async fn internal_error_is_not_retried() {
    retry_case(Op::Get, 500, Some("0"), Expect::Status(500), 1).await;
}

#[tokio::test]
async fn update_against_a_server_answering_412_forever_gives_up() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(scim(200, &user_json("1", "bjensen")))
        .mount(&server)
        .await;
    answer(&server, ResponseTemplate::new(412)).await;
    let c = retrying(&server);
    let err = bounded(c.resource::<User>().update("1", 3, |u| {
        u.display_name = Some("Babs".to_owned());
    }))
    .await
    .expect_err("always stale");
    assert!(err.is_precondition_failed(), "{err:?}");
    assert_eq!(
        requests(&server).await.len(),
        6,
        "three reads, three writes"
    );
}

#[tokio::test]
async fn refresh_answered_304_with_a_lying_etag_is_not_modified() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(304).insert_header("ETag", "W/\"999\""),
    )
    .await;
    let c = retrying(&server);
    let got = bounded(c.resource::<User>().refresh(&held_user()))
        .await
        .expect("304 is an answer");
    assert_eq!(got, scim_client::client::Conditional::NotModified);
    assert!(matches!(
        bounded(c.resource::<User>().get("1")).await,
        Err(Error::UnexpectedStatus { status: 304, .. })
    ));
}

//! Retries never duplicate a create, against local HTTP fakes (wiremock on 127.0.0.1).
//!
//! With the default [`RetryPolicy`], a request that may do its work twice (`POST` of a create
//! or of `/Bulk`, `PATCH`) is sent exactly once whatever the answer (429, 502, 503, 504, a
//! timeout): the error surfaces and the caller decides. Idempotent requests (`GET`, `PUT`,
//! `DELETE`) are retried, honouring `Retry-After`. Only with
//! [`RetryPolicy::retry_non_idempotent`] explicitly set are `POST` and `PATCH` retried, as many
//! times as configured. Every count comes from `MockServer::received_requests`.

#![cfg(feature = "reqwest")]

use std::time::{Duration, Instant};

use scim_client::Client;
use scim_client::client::{Bulk, RetryPolicy, SCIM_JSON};
use scim_client::error::Error;
use scim_client::model::User;
use scim_client::protocol::PatchOp;
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

/// A client with `policy`.
fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder(&server.uri())
        .retry(policy)
        .build()
        .expect("client builds")
}

/// A client with [`default_quick`] retries and a 300 ms timeout, for servers that stall.
fn impatient_client(server: &MockServer) -> Client {
    Client::builder(&server.uri())
        .retry(default_quick())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client builds")
}

/// The default policy with a short backoff, so tests that do retry are quick; it retries
/// idempotent requests only.
fn default_quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5))
}

fn scim(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(serde_json::to_vec(body).expect("serializes"), SCIM_JSON)
}

/// A busy answer: `status` with a SCIM error body and `Retry-After: 0` (retry at once, if at
/// all).
fn busy(status: u16) -> ResponseTemplate {
    scim(
        status,
        &json!({"schemas": [ERROR], "status": status.to_string(), "detail": "busy"}),
    )
    .insert_header("Retry-After", "0")
}

fn user_json(id: &str, user_name: &str) -> Value {
    json!({
        "schemas": [CORE],
        "id": id,
        "userName": user_name,
        "meta": {"resourceType": "User", "location": format!("/Users/{id}"), "version": "W/\"1\""}
    })
}

/// Answers the first `n` requests matching `method` with `first`, then the rest with `then`.
async fn answer(
    server: &MockServer,
    http_method: &str,
    n: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    Mock::given(method(http_method))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

/// How many requests of `http_method` to `request_path` the fake received.
async fn count(server: &MockServer, http_method: &str, request_path: &str) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .filter(|r| r.method.as_str() == http_method && r.url.path() == request_path)
        .count()
}

/// Every request the fake received, as `METHOD path`.
async fn sent(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

/// Serves a `ServiceProviderConfig` allowing `max_operations` per bulk request.
async fn serve_config(server: &MockServer, max_operations: u64) {
    let config = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": {"supported": true, "maxOperations": max_operations, "maxPayloadSize": 1_048_576},
        "filter": {"supported": true, "maxResults": 100},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": []
    });
    Mock::given(method("GET"))
        .and(path("/ServiceProviderConfig"))
        .respond_with(scim(200, &config))
        .with_priority(1)
        .mount(server)
        .await;
}

/// A `POST /Bulk` that creates every user of the request: `201`, location `/Users/id-<bulkId>`.
struct CreateAll;

impl Respond for CreateAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
        let results: Vec<Value> = body["Operations"]
            .as_array()
            .expect("Operations")
            .iter()
            .map(|op| {
                let bulk_id = op["bulkId"].as_str().expect("bulkId");
                json!({"method": "POST", "bulkId": bulk_id, "status": "201", "version": "W/\"1\"",
                       "location": format!("https://scim.example.com/v2/Users/id-{bulk_id}")})
            })
            .collect();
        scim(
            200,
            &json!({"schemas": [BULK_RESPONSE], "Operations": results}),
        )
    }
}

/// [`CreateAll`], answering after 5 s.
struct Delayed;

impl Respond for Delayed {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        CreateAll.respond(request).set_delay(Duration::from_secs(5))
    }
}

/// A bulk of `n` user creates.
fn bulk_of(n: usize) -> Bulk {
    let mut bulk = Bulk::new();
    for i in 0..n {
        bulk.create(&User::<()>::new(format!("user{i}")))
            .expect("valid");
    }
    bulk
}

// ---------------------------------------------------------------------------------------------
// Creates.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_create_answered_busy_is_sent_once_with_the_default_policy() {
    for status in [429, 502, 503, 504] {
        let server = MockServer::start().await;
        answer(
            &server,
            "POST",
            u64::MAX,
            busy(status),
            scim(201, &user_json("1", "bjensen")),
        )
        .await;
        let users = client(&server, default_quick()).resource::<User>();

        let err = users
            .create(&User::new("bjensen"))
            .await
            .expect_err("the busy answer surfaces");

        assert_eq!(err.status(), Some(status), "{err:?}");
        assert_eq!(
            sent(&server).await,
            ["POST /Users"],
            "{status}: a POST is sent once"
        );
    }
}

#[tokio::test]
async fn a_create_that_times_out_is_sent_once_with_the_default_policy() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(scim(201, &user_json("1", "bjensen")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let users = impatient_client(&server).resource::<User>();

    let err = users
        .create(&User::new("bjensen"))
        .await
        .expect_err("timed out");

    // The server may have created the user: a retry could create it twice.
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count(&server, "POST", "/Users").await, 1);

    // A GET timing out the same way is retried (one try and the default three retries).
    let err = users.get("1").await.expect_err("timed out");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count(&server, "GET", "/Users/1").await, 4);
}

#[tokio::test]
async fn a_read_answered_503_then_200_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        1,
        busy(503).insert_header("Retry-After", "1"),
        scim(200, &user_json("1", "bjensen")),
    )
    .await;
    // A 20 s backoff: finishing within 10 s shows the 1 s `Retry-After` was used.
    let policy = RetryPolicy::default().base_delay(Duration::from_secs(20));
    let users = client(&server, policy).resource::<User>();

    let started = Instant::now();
    let user = tokio::time::timeout(Duration::from_secs(10), users.get("1"))
        .await
        .expect("Retry-After (1 s) is honoured, not the 20 s backoff")
        .expect("retried and found");

    assert_eq!(user.id.as_deref(), Some("1"));
    assert_eq!(sent(&server).await, ["GET /Users/1", "GET /Users/1"]);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}, Retry-After said 1 s",
        started.elapsed()
    );
}

#[tokio::test]
async fn with_non_idempotent_retries_a_create_is_retried_as_configured() {
    // Always 429: one try and `max_retries` retries, then the error.
    for max_retries in [0, 1, 2, 4] {
        let server = MockServer::start().await;
        answer(
            &server,
            "POST",
            u64::MAX,
            busy(429),
            scim(201, &user_json("1", "bjensen")),
        )
        .await;
        let policy = default_quick()
            .retry_non_idempotent(true)
            .max_retries(max_retries);
        let users = client(&server, policy).resource::<User>();

        let err = users
            .create(&User::new("bjensen"))
            .await
            .expect_err("still busy");

        assert_eq!(err.status(), Some(429), "{err:?}");
        assert_eq!(
            count(&server, "POST", "/Users").await,
            max_retries as usize + 1,
            "max_retries {max_retries}"
        );
    }

    // 429 twice, then created: three POSTs, one user.
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        2,
        busy(429),
        scim(201, &user_json("1", "bjensen")),
    )
    .await;
    let policy = default_quick().retry_non_idempotent(true).max_retries(3);
    let users = client(&server, policy).resource::<User>();
    let created = users
        .create(&User::new("bjensen"))
        .await
        .expect("retried and created");
    assert_eq!(created.id.as_deref(), Some("1"));
    assert_eq!(count(&server, "POST", "/Users").await, 3);
    let bodies: Vec<Vec<u8>> = server
        .received_requests()
        .await
        .expect("recorded")
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "the same body each time"
    );
}

#[cfg(feature = "blocking")]
#[tokio::test(flavor = "multi_thread")]
async fn the_blocking_client_sends_a_busy_create_once_too() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        u64::MAX,
        busy(503),
        scim(201, &user_json("1", "bjensen")),
    )
    .await;
    let uri = server.uri();
    let status = tokio::task::spawn_blocking(move || {
        let scim = scim_client::blocking::Client::builder(&uri)
            .retry(default_quick())
            .build()
            .expect("client builds");
        scim.resource::<User>()
            .create(&User::new("bjensen"))
            .expect_err("busy")
            .status()
    })
    .await
    .expect("blocking task");
    assert_eq!(status, Some(503));
    assert_eq!(sent(&server).await, ["POST /Users"]);
}

// ---------------------------------------------------------------------------------------------
// PATCH.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_patch_answered_busy_is_sent_once_unless_configured() {
    let patch = PatchOp::new().replace("active", false);
    for status in [429, 503] {
        let server = MockServer::start().await;
        answer(
            &server,
            "PATCH",
            u64::MAX,
            busy(status),
            ResponseTemplate::new(204),
        )
        .await;
        let users = client(&server, default_quick()).resource::<User>();
        let err = users.patch("1", &patch).await.expect_err("busy");
        assert_eq!(err.status(), Some(status), "{err:?}");
        assert_eq!(sent(&server).await, ["PATCH /Users/1"], "{status}");
    }

    // Explicitly allowed: 429 once, then 204.
    let server = MockServer::start().await;
    answer(&server, "PATCH", 1, busy(429), ResponseTemplate::new(204)).await;
    let policy = default_quick().retry_non_idempotent(true);
    let users = client(&server, policy).resource::<User>();
    assert_eq!(users.patch("1", &patch).await.expect("retried"), None);
    assert_eq!(sent(&server).await, ["PATCH /Users/1", "PATCH /Users/1"]);
}

// ---------------------------------------------------------------------------------------------
// Bulk.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_bulk_answered_busy_is_sent_once_with_the_default_policy() {
    let server = MockServer::start().await;
    serve_config(&server, 1000).await;
    answer(&server, "POST", u64::MAX, busy(503), busy(503)).await;
    let scim = client(&server, default_quick());

    let err = scim.bulk(bulk_of(3)).await.expect_err("busy");

    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(count(&server, "POST", "/Bulk").await, 1);
}

#[tokio::test]
async fn a_bulk_that_times_out_is_sent_once_with_the_default_policy() {
    let server = MockServer::start().await;
    serve_config(&server, 1000).await;
    Mock::given(method("POST"))
        .respond_with(Delayed)
        .mount(&server)
        .await;
    let scim = impatient_client(&server);

    let err = scim.bulk(bulk_of(3)).await.expect_err("timed out");

    // The server may have applied it: a retry could create every user twice.
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count(&server, "POST", "/Bulk").await, 1);
}

#[tokio::test]
async fn the_configuration_read_before_a_bulk_is_retried_but_not_the_bulk() {
    let server = MockServer::start().await;
    // The configuration GET is busy once (retried), the bulk POST always (not retried).
    Mock::given(method("GET"))
        .respond_with(busy(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    serve_config(&server, 1000).await;
    Mock::given(method("POST"))
        .respond_with(busy(503))
        .with_priority(1)
        .mount(&server)
        .await;
    let scim = client(&server, default_quick());

    let err = scim.bulk(bulk_of(2)).await.expect_err("busy");

    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(
        sent(&server).await,
        [
            "GET /ServiceProviderConfig",
            "GET /ServiceProviderConfig",
            "POST /Bulk"
        ]
    );
}

/// Serves a `ServiceProviderConfig` of 2 operations per bulk request and a `POST /Bulk`
/// that applies the first request and answers the others `503`.
async fn serve_first_bulk_request_only(server: &MockServer) {
    serve_config(server, 2).await;
    // The first request is applied; the second is busy.
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(CreateAll)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(busy(503))
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_later_request_of_a_split_bulk_answered_busy_is_not_retried() {
    let server = MockServer::start().await;
    serve_first_bulk_request_only(&server).await;
    let scim = client(&server, default_quick());

    let results = scim
        .bulk(bulk_of(4))
        .await
        .expect("the first request was applied");

    assert_eq!(count(&server, "POST", "/Bulk").await, 2, "no retry");
    let interruption = results.interruption().expect("the second request failed");
    assert_eq!(interruption.status(), Some(503), "{interruption:?}");
    assert_eq!(results.outcome(0).map(|o| o.status), Some(201));
    assert_eq!(results.outcome(1).map(|o| o.status), Some(201));
    assert_eq!(results.not_processed().collect::<Vec<_>>(), [2, 3]);
}

/// `BulkResults::requests` is documented as "how many `POST /Bulk` requests were sent": the
/// interrupted request was sent too (and, after a transport failure, may have been applied).
#[tokio::test]
async fn requests_counts_the_interrupted_request_too() {
    let server = MockServer::start().await;
    serve_first_bulk_request_only(&server).await;
    let scim = client(&server, default_quick());

    let results = scim
        .bulk(bulk_of(4))
        .await
        .expect("the first request was applied");

    assert!(results.interruption().is_some());
    assert_eq!(count(&server, "POST", "/Bulk").await, 2);
    assert_eq!(
        results.requests(),
        2,
        "two POST /Bulk were sent, the second answered 503"
    );
}

#[tokio::test]
async fn with_non_idempotent_retries_a_busy_bulk_is_retried() {
    let server = MockServer::start().await;
    serve_config(&server, 1000).await;
    Mock::given(method("POST"))
        .respond_with(busy(429))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Bulk"))
        .respond_with(CreateAll)
        .with_priority(2)
        .mount(&server)
        .await;
    let policy = default_quick().retry_non_idempotent(true).max_retries(2);
    let scim = client(&server, policy);
    let mut bulk = Bulk::new();
    let alice = bulk.create(&User::<()>::new("alice")).expect("valid");

    let results = scim.bulk(bulk).await.expect("retried and applied");

    assert!(results.is_success(), "{results:?}");
    assert_eq!(results.id_of(&alice), Some("id-b1"));
    assert_eq!(count(&server, "POST", "/Bulk").await, 3);
}

// ---------------------------------------------------------------------------------------------
// Read-modify-write.
// ---------------------------------------------------------------------------------------------

/// `Api::update` whose `PUT` lands on the server but times out on the client: the PUT is
/// idempotent, so it is retried, and the retry is refused with 412 because the first one
/// changed the version. That 412 is the client's own write, not someone else's: re-applying
/// the change on the re-read would do it twice (here, append the same email twice).
#[tokio::test]
async fn update_does_not_apply_its_change_twice_when_its_own_write_landed() {
    let server = MockServer::start().await;
    let work = json!({"value": "bjensen@work.example.com", "type": "work"});
    let added = json!({"value": "babs@other.example.com", "type": "other"});
    let mut v1 = user_json("1", "bjensen");
    v1["emails"] = json!([work]);
    // What the first PUT made of it, as the server stored it.
    let mut v2 = v1.clone();
    v2["meta"]["version"] = json!("W/\"2\"");
    v2["emails"] = json!([work, added]);
    let mut v3 = v2.clone();
    v3["meta"]["version"] = json!("W/\"3\"");
    let stale = json!({"schemas": [ERROR], "status": "412", "detail": "version mismatch"});
    for (http_method, template) in [
        ("GET", scim(200, &v1)),
        // Applied, but answered after the client's timeout.
        ("PUT", scim(200, &v2).set_delay(Duration::from_secs(5))),
        // The retried PUT: If-Match W/"1" is stale now.
        ("PUT", scim(412, &stale)),
        ("GET", scim(200, &v2)),
        ("PUT", scim(200, &v3)),
    ] {
        Mock::given(method(http_method))
            .respond_with(template)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let users = impatient_client(&server).resource::<User>();

    let outcome = users
        .update("1", 3, |u| {
            u.emails
                .push(serde_json::from_value(added.clone()).expect("an email"));
        })
        .await;

    let puts: Vec<Value> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect();
    for (i, put) in puts.iter().enumerate() {
        let copies = put["emails"].as_array().map_or(0, |a| {
            a.iter().filter(|e| e["value"] == added["value"]).count()
        });
        assert!(
            copies <= 1,
            "PUT {i} appends the email a second time over the client's own landed write: {put}"
        );
    }
    if let Ok(user) = outcome {
        let copies = user
            .emails
            .iter()
            .filter(|e| e.value.as_deref() == added["value"].as_str())
            .count();
        assert_eq!(copies, 1, "{user:?}");
    }
}

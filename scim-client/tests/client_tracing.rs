//! The async client's `tracing` output, captured at TRACE level while it talks to a local HTTP
//! fake (wiremock on 127.0.0.1), never shows the bearer token or the basic password.
//!
//! This is a test binary of its own: `tracing` caches per-callsite interest globally, and a
//! callsite first hit by a concurrent test thread without a subscriber can stay silenced for
//! the scoped subscriber installed here. Alone in its process, the capture is deterministic.

use std::io;
use std::sync::{Arc, Mutex};

use scim_client::Client;
use scim_client::client::{RetryPolicy, SCIM_JSON};
use scim_client::model::User;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-3f9a1c7e-do-not-log-me";
const PASSWORD: &str = "pw-8d2b44e1-do-not-log-me";

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A fake answering 503 once (so the retry path logs too), then a SCIM 404.
async fn flaky_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let not_found = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "404",
        "detail": "no such user"
    });
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(serde_json::to_vec(&not_found).expect("JSON"), SCIM_JSON),
        )
        .mount(&server)
        .await;
    server
}

/// Runs a GET through `client` with a TRACE subscriber installed, and returns the logs.
async fn logs_of_a_request(server: &MockServer, scim_client: &Client) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    tracing::debug!(client = ?scim_client, "built");

    let err = scim_client
        .resource::<User>()
        .get("1")
        .await
        .expect_err("not found");
    tracing::debug!(error = ?err, "failed: {err}");
    drop(guard);

    assert!(err.is_not_found(), "{err:?}");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 2, "the 503 is retried once");
    let logs = captured.text();
    assert!(
        logs.contains("scim.request"),
        "the request span is logged: {logs}"
    );
    assert!(
        logs.contains("scim response"),
        "the response is logged: {logs}"
    );
    assert!(logs.contains("retrying"), "the retry is logged: {logs}");
    logs
}

#[tokio::test]
async fn trace_logs_never_show_the_bearer_token() {
    let server = flaky_server().await;
    let scim_client = Client::builder(&server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .expect("client builds");

    let logs = logs_of_a_request(&server, &scim_client).await;

    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the logs: {logs}"
    );
}

#[tokio::test]
async fn trace_logs_never_show_the_basic_password() {
    use base64::Engine as _;
    let server = flaky_server().await;
    let scim_client = Client::builder(&server.uri())
        .basic_auth("admin", PASSWORD)
        .retry(RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .expect("client builds");
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("admin:{PASSWORD}"));

    let logs = logs_of_a_request(&server, &scim_client).await;

    assert!(!logs.contains(PASSWORD), "the password leaked: {logs}");
    assert!(
        !logs.contains(&encoded),
        "the encoded credentials leaked: {logs}"
    );
}

#[tokio::test]
async fn a_users_password_never_shows_in_logs_debug_or_errors() {
    const USER_PASSWORD: &str = "user-pw-51c0ffee-do-not-log-me";
    let server = flaky_server().await;
    let scim_client = Client::builder(&server.uri())
        .retry(RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .expect("client builds");
    let mut user = User::new("bjensen");
    user.password = Some(USER_PASSWORD.into());
    // Missing the required userName: a request validation error, which must not quote it.
    let invalid = User {
        password: Some(USER_PASSWORD.into()),
        ..User::default()
    };

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let users = scim_client.resource::<User>();
    let sent = users
        .create(&user)
        .await
        .expect_err("the fake answers 503, then 404");
    tracing::debug!(user = ?user, error = ?sent, "create failed: {sent}");
    let refused = users
        .create(&invalid)
        .await
        .expect_err("userName is required");
    tracing::debug!(error = ?refused, "create refused: {refused}");
    drop(guard);

    // The password did go out, in the body, once.
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1, "a POST is not retried");
    assert!(String::from_utf8_lossy(&received[0].body).contains(USER_PASSWORD));
    // And nowhere else.
    let logs = captured.text();
    assert!(logs.contains("scim.request"), "{logs}");
    for text in [
        logs,
        format!("{user:?}"),
        format!("{invalid:?}"),
        format!("{sent} {sent:?} {refused} {refused:?}"),
    ] {
        assert!(!text.contains(USER_PASSWORD), "the password leaked: {text}");
    }
}

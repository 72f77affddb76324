//! The blocking client against the demo server over a real socket (axum on 127.0.0.1 in a
//! background thread), and over an in-process blocking transport for the retry decisions.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http::StatusCode;
use scim_client::blocking::Client;
use scim_client::client::{Conditional, RetryPolicy};
use scim_client::model::{EnterpriseUser, Group, User};
use scim_client::protocol::{PatchOp, ScimType, SearchRequest};
use scim_client::transport::{BlockingTransport, BoxError, Bytes, HttpRequest, HttpResponse};
use scim_client::{Error, ScimDispatch};
use scim_examples::demo_server::{DemoServer, DemoUser};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

#[test]
fn crud_flow_over_a_socket() -> Result<(), Box<dyn std::error::Error>> {
    let server = DemoServer::new();
    let running = server.serve_in_background()?;
    let scim = Client::builder(&running.base_url())
        .retry(fast_retries())
        .timeout(Duration::from_secs(10))
        .build()?;
    assert_eq!(scim.base_url(), format!("{}/", running.base_url()));

    let discovery = scim.discover()?;
    assert_eq!(discovery.resource_types.len(), 2);
    assert!(scim.service_provider_config()?.etag.is_some());

    let users = scim.resource::<DemoUser>();
    let mut bjensen = DemoUser::new("bjensen");
    bjensen.extensions.insert(EnterpriseUser {
        department: Some("Tour Operations".to_owned()),
        ..EnterpriseUser::default()
    });
    let created = users.create(&bjensen)?;
    let id = created.id.clone().expect("id");
    let location = created
        .meta
        .as_ref()
        .and_then(|m| m.location.as_ref())
        .map(|l| l.as_str().to_owned());
    assert_eq!(location, Some(format!("{}/Users/{id}", running.base_url())));

    let fetched = users.get(&id)?;
    assert_eq!(
        fetched
            .extension::<EnterpriseUser>()
            .and_then(|e| e.department.as_deref()),
        Some("Tour Operations")
    );
    let page = users.list(&SearchRequest::new().filter(r#"userName eq "bjensen""#))?;
    assert_eq!(page.total_results, Some(1));
    assert_eq!(users.search(&SearchRequest::new())?.resources.len(), 1);
    assert_eq!(users.refresh(&fetched)?, Conditional::NotModified);

    let mut changed = fetched.clone();
    changed.display_name = Some("Babs Jensen".to_owned());
    assert_eq!(
        users.replace(&changed)?.display_name.as_deref(),
        Some("Babs Jensen")
    );
    assert!(
        users
            .replace(&changed)
            .expect_err("stale")
            .is_precondition_failed()
    );

    assert!(
        users
            .patch(&id, &PatchOp::new().replace("title", "Guide"))?
            .is_none()
    );
    assert_eq!(users.get(&id)?.title.as_deref(), Some("Guide"));
    let updated = users.update(&id, 3, |u| u.nick_name = Some("Babs".to_owned()))?;
    assert_eq!(updated.nick_name.as_deref(), Some("Babs"));

    let dup = users.create(&User::new("BJENSEN")).expect_err("duplicate");
    assert_eq!(dup.scim_type(), Some(&ScimType::Uniqueness));

    let version = users
        .get(&id)?
        .meta
        .and_then(|m| m.version)
        .expect("version");
    assert!(
        users
            .delete_if_match(&id, Some("W/\"0\""))
            .expect_err("stale")
            .is_precondition_failed()
    );
    users.delete_if_match(&id, Some(&version))?;
    assert!(users.get(&id).expect_err("gone").is_not_found());
    assert!(server.users().is_empty());
    Ok(())
}

#[test]
fn stream_is_an_iterator_over_every_page() -> Result<(), Box<dyn std::error::Error>> {
    let server = DemoServer::builder().max_results(3).build();
    let running = server.serve_in_background()?;
    let users = Client::builder(&running.base_url())
        .build()?
        .resource::<DemoUser>();
    for i in 0..8 {
        users.create(&User::new(format!("user{i}")))?;
    }
    let before = server.requests();
    let names = users
        .stream(SearchRequest::new().count(10))
        .map(|u| u.map(|u| u.user_name.unwrap_or_default()))
        .collect::<Result<Vec<_>, Error>>()?;
    assert_eq!(
        names,
        (0..8).map(|i| format!("user{i}")).collect::<Vec<_>>()
    );
    assert_eq!(server.requests() - before, 3, "pages of 3, 3, 2");

    // Lazily: taking 2 fetches one page only.
    let before = server.requests();
    let first: Vec<_> = users.stream(SearchRequest::new()).take(2).collect();
    assert_eq!(first.len(), 2);
    assert_eq!(server.requests() - before, 1);

    // An error ends the iteration.
    server.fail_next([StatusCode::BAD_REQUEST]);
    let mut failing = users.stream(SearchRequest::new());
    assert!(matches!(failing.next(), Some(Err(e)) if e.status() == Some(400)));
    assert!(failing.next().is_none());
    Ok(())
}

#[test]
fn retries_over_a_socket() -> Result<(), Box<dyn std::error::Error>> {
    let server = DemoServer::new();
    let running = server.serve_in_background()?;
    let users = Client::builder(&running.base_url())
        .retry(fast_retries())
        .build()?
        .resource::<DemoUser>();
    let id = users.create(&User::new("bjensen"))?.id.expect("id");

    server.fail_next([
        StatusCode::SERVICE_UNAVAILABLE,
        StatusCode::SERVICE_UNAVAILABLE,
    ]);
    let before = server.requests();
    users.get(&id)?;
    assert_eq!(server.requests() - before, 3, "two 503s, then the answer");

    server.fail_next([StatusCode::SERVICE_UNAVAILABLE]);
    let before = server.requests();
    let err = users
        .create(&User::new("x"))
        .expect_err("POST is not retried");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests() - before, 1);
    Ok(())
}

/// Anything the root search returns.
#[allow(clippy::large_enum_variant)] // A test type; boxing would only add noise.
#[derive(ScimDispatch, Clone, Debug)]
enum AnyResource {
    User(DemoUser),
    Group(Group),
}

#[test]
fn root_search_and_raw_requests() -> Result<(), Box<dyn std::error::Error>> {
    let server = DemoServer::builder().bearer_token("t0ken").build();
    let running = server.serve_in_background()?;
    let scim = Client::builder(&running.base_url())
        .bearer_token("t0ken")
        .build()?;
    scim.resource::<DemoUser>().create(&User::new("alice"))?;
    scim.resource::<Group>().create(&Group {
        display_name: Some("admins".to_owned()),
        ..Group::default()
    })?;
    let all = scim.search::<AnyResource>(&SearchRequest::new())?;
    assert_eq!(all.resources.len(), 2);

    // send_raw: the auth header is added, nothing is checked.
    let request = http::Request::get(format!("{}/Nowhere", running.base_url())).body(Vec::new())?;
    let response = scim.send_raw(request)?;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/scim+json");

    let anonymous = Client::builder(&running.base_url()).build()?;
    let err = anonymous
        .resource::<DemoUser>()
        .list(&SearchRequest::new())
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
    Ok(())
}

/// A blocking transport that fails a number of times, then answers a canned user.
struct Flaky {
    failures: AtomicUsize,
    status_failures: AtomicUsize,
    calls: Arc<AtomicUsize>,
}

impl BlockingTransport for Flaky {
    fn send(&self, _request: HttpRequest, _max_body: usize) -> Result<HttpResponse, BoxError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err("connection reset".into());
        }
        if self
            .status_failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Ok(http::Response::builder()
                .status(429)
                .header("retry-after", "0")
                .body(Bytes::new())?);
        }
        let body = br#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                        "id": "7", "userName": "seven"}"#;
        Ok(http::Response::builder()
            .header("content-type", "application/scim+json")
            .body(Bytes::from(body.to_vec()))?)
    }
}

#[test]
fn custom_blocking_transport_and_retry_decisions() -> Result<(), Error> {
    let calls = Arc::new(AtomicUsize::new(0));
    let transport = Flaky {
        failures: AtomicUsize::new(1),
        status_failures: AtomicUsize::new(1),
        calls: Arc::clone(&calls),
    };
    let scim = Client::builder("http://in-process.test/v2")
        .retry(fast_retries())
        .build_with(transport)?;
    let user = scim.resource::<User>().get("7")?;
    assert_eq!(user.user_name.as_deref(), Some("seven"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "a transport error, a 429, then the answer"
    );

    // Out of retries: the transport error is reported with the method and path.
    let failing = Flaky {
        failures: AtomicUsize::new(10),
        status_failures: AtomicUsize::new(0),
        calls: Arc::clone(&calls),
    };
    let scim = Client::builder("http://in-process.test/v2")
        .retry(fast_retries().max_retries(2))
        .build_with(failing)?;
    let err = scim.resource::<User>().get("7").expect_err("fails");
    assert!(err.is_transport());
    assert!(matches!(&err, Error::Transport { path, .. } if path == "/v2/Users/7"));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3 + 3,
        "the first try and two retries"
    );
    Ok(())
}

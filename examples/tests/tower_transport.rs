//! The async client against the demo server, in-process through `TowerTransport`: the whole
//! CRUD flow, pagination, errors, retries and the body limit.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use futures_util::TryStreamExt as _;
use http::StatusCode;
use http_body_util::Full;
use scim_client::client::{Conditional, RetryPolicy};
use scim_client::model::{EnterpriseUser, Group, GroupMember, User};
use scim_client::protocol::{PatchOp, ScimType, SearchRequest};
use scim_client::transport::{BodyTooLarge, BoxError, TowerTransport};
use scim_client::{Client, Error, ScimDispatch};
use scim_examples::demo_server::{DemoServer, DemoUser};

const BASE: &str = "http://demo.test/scim/v2";

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

fn client(server: &DemoServer) -> Client<TowerTransport<Router>> {
    Client::builder(BASE)
        .retry(fast_retries())
        .build_with(TowerTransport::new(server.router()))
        .expect("client")
}

fn enterprise_user(name: &str, department: &str) -> DemoUser {
    let mut user = DemoUser::new(name);
    user.display_name = Some(format!("{name} display"));
    user.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".to_owned()),
        department: Some(department.to_owned()),
        ..EnterpriseUser::default()
    });
    user
}

#[tokio::test]
async fn crud_flow() -> Result<(), Error> {
    let server = DemoServer::new();
    let scim = client(&server);

    let discovery = scim.discover().await?;
    assert_eq!(discovery.resource_types.len(), 2);
    assert_eq!(discovery.schemas.len(), 3);
    assert!(scim.known_config().is_some());

    let users = scim.resource::<DemoUser>();
    assert_eq!(users.endpoint(), "/Users");

    // Create: 201, Location, ETag, extension kept.
    let created = users
        .create(&enterprise_user("bjensen", "Tour Operations"))
        .await?;
    let id = created.id.clone().expect("id");
    let meta = created.meta.clone().expect("meta");
    assert_eq!(meta.version.as_deref(), Some("W/\"1\""));
    assert_eq!(
        meta.location.as_ref().map(|l| l.as_str().to_owned()),
        Some(format!("{BASE}/Users/{id}"))
    );
    assert_eq!(
        created
            .extension::<EnterpriseUser>()
            .and_then(|e| e.department.as_deref()),
        Some("Tour Operations")
    );

    // Get, and get with a projection.
    let fetched = users.get(&id).await?;
    assert_eq!(fetched.user_name.as_deref(), Some("bjensen"));
    let projected = users
        .get_with(&id, &SearchRequest::new().attributes(["displayName"]))
        .await?;
    assert_eq!(projected.id.as_deref(), Some(id.as_str()));
    assert!(projected.user_name.is_none());
    assert_eq!(projected.display_name.as_deref(), Some("bjensen display"));
    let excluded = users
        .get_with(
            &id,
            &SearchRequest::new().excluded_attributes([
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            ]),
        )
        .await?;
    assert!(excluded.extension::<EnterpriseUser>().is_none());
    assert_eq!(excluded.user_name.as_deref(), Some("bjensen"));

    // List with a filter (case-insensitive userName), and .search.
    let page = users
        .list(&SearchRequest::new().filter(r#"userName eq "BJENSEN""#))
        .await?;
    assert_eq!(page.total_results, Some(1));
    let page = users
        .search(&SearchRequest::new().filter(
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Tour Operations""#,
        ))
        .await?;
    assert_eq!(page.resources.len(), 1);

    // Conditional read.
    assert_eq!(users.refresh(&fetched).await?, Conditional::NotModified);

    // Replace with If-Match; the stale copy is then refused with 412.
    let mut changed = fetched.clone();
    changed.display_name = Some("Babs Jensen".to_owned());
    let replaced = users.replace(&changed).await?;
    assert_eq!(replaced.display_name.as_deref(), Some("Babs Jensen"));
    assert_ne!(
        replaced.meta.as_ref().and_then(|m| m.version.clone()),
        fetched.meta.as_ref().and_then(|m| m.version.clone())
    );
    let stale = users.replace(&changed).await.expect_err("stale");
    assert!(stale.is_precondition_failed(), "{stale:?}");
    assert!(matches!(
        users.refresh(&fetched).await?,
        Conditional::Modified(u) if u.display_name.as_deref() == Some("Babs Jensen")
    ));

    // PATCH: 204 (None), then visible on read; If-Match with a stale version is refused.
    let patched = users
        .patch(&id, &PatchOp::new().replace("title", "Tour Guide"))
        .await?;
    assert!(patched.is_none());
    assert_eq!(users.get(&id).await?.title.as_deref(), Some("Tour Guide"));
    let stale_version = fetched.meta.as_ref().and_then(|m| m.version.as_deref());
    let err = users
        .patch_if_match(&id, stale_version, &PatchOp::new().remove("title"))
        .await
        .expect_err("stale patch");
    assert!(err.is_precondition_failed());
    users
        .patch(
            &id,
            &PatchOp::new()
                .remove("title")
                .replace("name.givenName", "Barbara")
                .add(
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
                    "4130",
                ),
        )
        .await?;
    let now = users.get(&id).await?;
    assert!(now.title.is_none());
    assert_eq!(
        now.name.as_ref().and_then(|n| n.given_name.as_deref()),
        Some("Barbara")
    );
    assert_eq!(
        now.extension::<EnterpriseUser>()
            .and_then(|e| e.cost_center.as_deref()),
        Some("4130")
    );

    // Read-modify-write.
    let updated = users
        .update(&id, 3, |u| u.nick_name = Some("Babs".to_owned()))
        .await?;
    assert_eq!(updated.nick_name.as_deref(), Some("Babs"));

    // Delete: 204, then 404 on read and on a second delete.
    users.delete(&id).await?;
    assert!(users.get(&id).await.expect_err("gone").is_not_found());
    assert!(users.delete(&id).await.expect_err("gone").is_not_found());
    assert!(server.users().is_empty());
    Ok(())
}

#[tokio::test]
async fn uniqueness_and_errors() -> Result<(), Error> {
    let server = DemoServer::new();
    let users = client(&server).resource::<DemoUser>();
    users.create(&User::new("bjensen")).await?;
    let dup = users
        .create(&User::new("BJensen"))
        .await
        .expect_err("duplicate");
    assert!(dup.is_conflict());
    assert_eq!(dup.status(), Some(409));
    assert_eq!(dup.scim_type(), Some(&ScimType::Uniqueness));

    // A bad filter is a 400 invalidFilter from the server.
    let bad = users
        .list(&SearchRequest::new().filter("userName xx \"a\""))
        .await
        .expect_err("bad filter");
    assert_eq!(bad.scim_type(), Some(&ScimType::InvalidFilter));

    // A PATCH of a read-only attribute is a 400 mutability.
    let id = server.users()[0].id.clone().expect("id");
    let err = users
        .patch(
            &id,
            &PatchOp::new().replace("groups", serde_json::json!([])),
        )
        .await
        .expect_err("read-only");
    assert_eq!(err.scim_type(), Some(&ScimType::Mutability));

    // An unknown id is a 404.
    assert!(users.get("nope").await.expect_err("404").is_not_found());
    Ok(())
}

#[tokio::test]
async fn stream_pages_through_everything() -> Result<(), Error> {
    // The server caps pages at 2, whatever the client asks.
    let server = DemoServer::builder().max_results(2).build();
    let scim = client(&server);
    let users = scim.resource::<DemoUser>();
    for i in 0..7 {
        users.create(&User::new(format!("user{i}"))).await?;
    }
    let before = server.requests();
    let all: Vec<DemoUser> = users
        .stream(SearchRequest::new().count(5))
        .try_collect()
        .await?;
    let names: Vec<_> = all.iter().filter_map(|u| u.user_name.clone()).collect();
    assert_eq!(
        names,
        (0..7).map(|i| format!("user{i}")).collect::<Vec<_>>()
    );
    assert_eq!(server.requests() - before, 4, "pages of 2, 2, 2, 1");

    let some: Vec<DemoUser> = users
        .stream(SearchRequest::new().filter(r#"userName sw "user1""#))
        .try_collect()
        .await?;
    assert_eq!(some.len(), 1);
    Ok(())
}

/// Anything the root search returns.
#[allow(clippy::large_enum_variant)] // A test type; boxing would only add noise.
#[derive(ScimDispatch, Clone, Debug)]
enum AnyResource {
    User(DemoUser),
    Group(Group),
}

#[tokio::test]
async fn groups_and_root_search() -> Result<(), Error> {
    let server = DemoServer::new();
    let scim = client(&server);
    let alice = scim
        .resource::<DemoUser>()
        .create(&User::new("alice"))
        .await?;
    let alice_id = alice.id.clone().expect("id");
    let groups = scim.resource::<Group>();
    let group = groups
        .create(&Group {
            display_name: Some("alice's team".to_owned()),
            members: vec![GroupMember {
                value: Some(alice_id.clone()),
                ..GroupMember::default()
            }],
            ..Group::default()
        })
        .await?;
    let alice = scim.resource::<DemoUser>().get(&alice_id).await?;
    assert_eq!(alice.groups.len(), 1);
    assert_eq!(alice.groups[0].value, group.id);

    let found = scim
        .search::<AnyResource>(
            &SearchRequest::new().filter(r#"displayName co "alice" or userName eq "alice""#),
        )
        .await?;
    assert_eq!(found.resources.len(), 2);
    assert!(matches!(found.resources[0], AnyResource::User(_)));
    assert!(matches!(found.resources[1], AnyResource::Group(_)));

    // Deleting the user removes it from the group.
    scim.resource::<DemoUser>().delete(&alice_id).await?;
    let group = groups.get(group.id.as_deref().expect("id")).await?;
    assert!(group.members.is_empty());
    Ok(())
}

#[tokio::test]
async fn retries_share_the_core_decisions() -> Result<(), Error> {
    let server = DemoServer::new();
    let users = client(&server).resource::<DemoUser>();
    let id = users.create(&User::new("bjensen")).await?.id.expect("id");

    // A GET is retried through 503s (Retry-After: 0) and succeeds.
    server.fail_next([
        StatusCode::SERVICE_UNAVAILABLE,
        StatusCode::TOO_MANY_REQUESTS,
    ]);
    let before = server.requests();
    users.get(&id).await?;
    assert_eq!(server.requests() - before, 3);

    // A POST is not retried by default: the 503 is the answer.
    server.fail_next([StatusCode::SERVICE_UNAVAILABLE]);
    let before = server.requests();
    let err = users.create(&User::new("other")).await.expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests() - before, 1);

    // Retries run out.
    server.fail_next([StatusCode::SERVICE_UNAVAILABLE; 4]);
    let err = users.get(&id).await.expect_err("503");
    assert_eq!(err.status(), Some(503));

    // Without retries the first 503 is final.
    let no_retry = Client::builder(BASE)
        .retry(RetryPolicy::none())
        .build_with(TowerTransport::new(server.router()))?
        .resource::<DemoUser>();
    server.fail_next([StatusCode::BAD_GATEWAY]);
    assert_eq!(
        no_retry.get(&id).await.expect_err("502").status(),
        Some(502)
    );
    users.get(&id).await?;
    Ok(())
}

#[tokio::test]
async fn body_limit_is_an_error_not_an_allocation() -> Result<(), Error> {
    let server = DemoServer::new();
    let scim = client(&server);
    for i in 0..20 {
        scim.resource::<DemoUser>()
            .create(&User::new(format!("user{i}")))
            .await?;
    }
    let small = Client::builder(BASE)
        .max_response_bytes(512)
        .retry(fast_retries())
        .build_with(TowerTransport::new(server.router()))?;
    let before = server.requests();
    let err = small
        .resource::<DemoUser>()
        .list(&SearchRequest::new())
        .await
        .expect_err("too large");
    let Error::Transport { source, .. } = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(source.is::<BodyTooLarge>(), "{source:?}");
    assert_eq!(
        server.requests() - before,
        1,
        "a body over the limit is not retried"
    );
    Ok(())
}

#[tokio::test]
async fn any_tower_service_works_and_service_errors_are_retried() -> Result<(), Error> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let service = tower::service_fn(move |req: http::Request<Full<Bytes>>| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                return Err::<http::Response<Full<Bytes>>, BoxError>("connection reset".into());
            }
            assert_eq!(req.uri().path(), "/scim/v2/Users/7");
            let body = r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                           "id": "7", "userName": "seven"}"#;
            Ok(http::Response::builder()
                .header("content-type", "application/scim+json")
                .body(Full::new(Bytes::from(body)))
                .expect("response"))
        }
    });
    let scim = Client::builder(BASE)
        .retry(fast_retries())
        .build_with(TowerTransport::new(service))?;
    let user = scim.resource::<User>().get("7").await?;
    assert_eq!(user.user_name.as_deref(), Some("seven"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    // A service that never fails, with an infallible error type.
    let ok = tower::service_fn(|_req: http::Request<Full<Bytes>>| async {
        Ok::<_, Infallible>(
            http::Response::builder()
                .status(204)
                .body(Full::new(Bytes::new()))
                .expect("response"),
        )
    });
    let scim = Client::builder(BASE).build_with(TowerTransport::new(ok))?;
    scim.resource::<User>().delete("7").await?;
    Ok(())
}

#[tokio::test]
async fn bearer_token_is_required_when_configured() -> Result<(), Error> {
    let server = DemoServer::builder().bearer_token("s3cr3t").build();
    let anonymous = Client::builder(BASE).build_with(TowerTransport::new(server.router()))?;
    let err = anonymous
        .resource::<DemoUser>()
        .list(&SearchRequest::new())
        .await
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
    let authed = Client::builder(BASE)
        .bearer_token("s3cr3t")
        .build_with(TowerTransport::new(server.router()))?;
    authed
        .resource::<DemoUser>()
        .list(&SearchRequest::new())
        .await?;
    Ok(())
}

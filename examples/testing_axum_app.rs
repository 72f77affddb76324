//! Testing your own axum SCIM application in-process, with the real client.
//!
//! An axum `Router` is a `tower::Service`, so `TowerTransport` hands the client's requests
//! straight to it: no socket, no port, no server to start, and every request goes through the
//! app's real routing, extractors and middleware. Here the "app" is the demo server of this
//! crate behind a bearer token; put your own `Router` in its place.
//!
//! In a test suite, each block below is a `#[tokio::test]`.
//!
//! ```sh
//! cargo run -p scim-examples --example testing_axum_app
//! ```

use axum::Router;
use scim_client::model::{Group, GroupMember, User};
use scim_client::protocol::{PatchOp, ScimType, SearchRequest};
use scim_client::transport::TowerTransport;
use scim_client::{Client, Error};
use scim_examples::demo_server::{DemoServer, DemoUser};

const TOKEN: &str = "test-token";
const BASE: &str = "http://app.test/scim/v2";

/// Your application: any axum `Router` (here the demo server, requiring a bearer token).
fn app() -> Router {
    DemoServer::builder().bearer_token(TOKEN).build().router()
}

/// A client wired to the app in-process.
fn client(app: Router) -> Result<Client<TowerTransport<Router>>, Error> {
    Client::builder(BASE)
        .bearer_token(TOKEN)
        .build_with(TowerTransport::new(app))
}

fn check(what: &str, ok: bool) -> Result<(), Box<dyn std::error::Error>> {
    println!("{} {what}", if ok { "ok  " } else { "FAIL" });
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The client checks every answer against RFC 7643/7644 as it goes (status codes, content
    // type, SCIM error bodies, response contexts: no password returned, id always there), so a
    // plain CRUD run is already a conformance test of the app.
    let scim = client(app())?;
    let discovery = scim.discover().await?;
    check(
        "discovery is consistent (every resource type's schemas are served)",
        discovery.resource_types.len() == 2,
    )?;

    let users = scim.resource::<DemoUser>();
    let mut alice = User::new("alice");
    alice.password = Some("t0ps3cr3t".into());
    let alice = users.create(&alice).await?;
    check(
        "create answers 201 with an id, a version, and no password",
        alice.id.is_some()
            && alice
                .meta
                .as_ref()
                .and_then(|m| m.version.as_ref())
                .is_some()
            && alice.password.is_none(),
    )?;
    let id = alice.id.clone().unwrap_or_default();

    let groups = scim.resource::<Group>();
    let mut admins = Group {
        display_name: Some("admins".to_owned()),
        ..Group::default()
    };
    admins.members.push(GroupMember {
        value: Some(id.clone()),
        ..GroupMember::default()
    });
    groups.create(&admins).await?;
    let alice = users.get(&id).await?;
    check(
        "a user lists the groups it belongs to",
        alice
            .groups
            .iter()
            .any(|g| g.display.as_deref() == Some("admins")),
    )?;

    let found = users
        .list(&SearchRequest::new().filter(r#"userName eq "ALICE""#))
        .await?;
    check(
        "userName filters are case-insensitive",
        found.total_results == Some(1),
    )?;

    let dup = users.create(&User::new("Alice")).await;
    check(
        "a duplicate userName is a 409 with scimType uniqueness",
        matches!(&dup, Err(e) if e.status() == Some(409) && e.scim_type() == Some(&ScimType::Uniqueness)),
    )?;

    let missing = users.get("no-such-id").await;
    check(
        "an unknown id is a SCIM 404",
        matches!(&missing, Err(e) if e.is_not_found()),
    )?;

    // Deliberately wrong traffic: `send_raw` sends exactly what it is given and returns the
    // answer untouched (the client's auth header is still added).
    let garbage = http::Request::post(format!("{BASE}/Users"))
        .header("content-type", "application/scim+json")
        .body(b"{not json".to_vec())?;
    let response = scim.send_raw(garbage).await?;
    let body: serde_json::Value = serde_json::from_slice(response.body())?;
    check(
        "malformed JSON is a 400 with scimType invalidSyntax",
        response.status() == 400 && body["scimType"] == "invalidSyntax",
    )?;

    let anonymous = Client::builder(BASE).build_with(TowerTransport::new(app()))?;
    let denied = anonymous.resource::<DemoUser>().get(&id).await;
    check(
        "a request without the token is a 401",
        matches!(&denied, Err(e) if e.status() == Some(401)),
    )?;

    let readonly = users
        .patch(
            &id,
            &PatchOp::new().replace("meta.created", "2000-01-01T00:00:00Z"),
        )
        .await;
    check(
        "a PATCH of a read-only attribute is a 400 with scimType mutability",
        matches!(&readonly, Err(e) if e.scim_type() == Some(&ScimType::Mutability)),
    )?;

    println!("all checks passed");
    Ok(())
}

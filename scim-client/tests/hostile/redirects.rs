//! Answers that try to send the client elsewhere: `Location` headers and `meta.location` at
//! another host, endpoints learnt from `/ResourceTypes`, ids and versions crafted to escape the
//! path or inject headers, and redirects to another server (which must never see the token).

use scim_client::client::Bulk;
use scim_client::error::Error;
use scim_client::model::User;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use super::common::{
    TOKEN, answer, bounded, client, config, mount_at, requests, resource_types, schemas_page, scim,
    user_json, with,
};

/// The base server and an "evil" one on another port of 127.0.0.1.
async fn two_servers() -> (MockServer, MockServer) {
    let home = MockServer::start().await;
    let evil = MockServer::start().await;
    answer(&evil, scim(200, &user_json("1", "bjensen"))).await;
    (home, evil)
}

/// Asserts the evil server saw nothing, and every request went to the base URL's paths.
async fn assert_stayed_home(home: &MockServer, evil: &MockServer, paths: &[&str]) {
    assert!(
        requests(evil).await.is_empty(),
        "a request went to the other host"
    );
    let sent: Vec<String> = requests(home)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(sent, paths);
}

#[tokio::test]
async fn location_header_and_meta_location_elsewhere_are_not_followed_after_create() {
    let (home, evil) = two_servers().await;
    let elsewhere = format!("{}/Users/1", evil.uri());
    let created = with(
        user_json("1", "bjensen"),
        &json!({"meta": {"location": elsewhere}}),
    );
    mount_at(
        &home,
        "/Users",
        scim(201, &created).insert_header("Location", elsewhere.as_str()),
    )
    .await;
    answer(&home, scim(200, &created)).await;
    let c = client(&home.uri());
    let users = c.resource::<User>();
    let user = bounded(users.create(&User::new("bjensen")))
        .await
        .expect("created");
    let id = user.id.clone().expect("an id");
    bounded(users.get(&id)).await.expect("read");
    bounded(users.replace(&user)).await.expect("replaced");
    bounded(users.delete(&id)).await.expect("deleted");
    assert_stayed_home(
        &home,
        &evil,
        &["/Users", "/Users/1", "/Users/1", "/Users/1"],
    )
    .await;
}

#[tokio::test]
async fn meta_location_elsewhere_in_a_get_does_not_move_replace() {
    let (home, evil) = two_servers().await;
    let body = with(
        user_json("1", "bjensen"),
        &json!({"meta": {"location": format!("{}/Users/1", evil.uri()), "version": "W/\"2\""}}),
    );
    answer(&home, scim(200, &body)).await;
    let c = client(&home.uri());
    let users = c.resource::<User>();
    let user = bounded(users.get("1")).await.expect("read");
    bounded(users.replace(&user)).await.expect("replaced");
    bounded(users.refresh(&user)).await.expect("refreshed");
    assert_stayed_home(&home, &evil, &["/Users/1", "/Users/1", "/Users/1"]).await;
}

#[tokio::test]
async fn an_id_crafted_to_escape_the_endpoint_stays_one_segment() {
    let (home, evil) = two_servers().await;
    let body = user_json("../Groups/g1?x=1#y", "bjensen");
    answer(&home, scim(200, &body)).await;
    let c = client(&home.uri());
    let users = c.resource::<User>();
    let user = bounded(users.get("1")).await.expect("read");
    bounded(users.replace(&user)).await.expect("replaced");
    let sent = requests(&home).await;
    assert_eq!(sent[1].url.path(), "/Users/..%2FGroups%2Fg1%3Fx=1%23y");
    assert_eq!(sent[1].url.query(), None);
    assert!(requests(&evil).await.is_empty());
}

#[tokio::test]
async fn an_id_of_dot_dot_is_refused_before_sending() {
    let (home, evil) = two_servers().await;
    answer(&home, scim(200, &user_json("..", "bjensen"))).await;
    let c = client(&home.uri());
    let users = c.resource::<User>();
    let user = bounded(users.get("1")).await.expect("read");
    let err = bounded(users.replace(&user))
        .await
        .expect_err("`..` is no id");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("..")),
        "{err:?}"
    );
    assert_stayed_home(&home, &evil, &["/Users/1"]).await;
}

#[tokio::test]
async fn a_version_crafted_to_inject_a_header_is_refused_before_sending() {
    let (home, evil) = two_servers().await;
    let body = with(
        user_json("1", "bjensen"),
        &json!({"meta": {"version": "W/\"1\"\r\nX-Evil: yes"}}),
    );
    answer(&home, scim(200, &body)).await;
    let c = client(&home.uri());
    let users = c.resource::<User>();
    let user = bounded(users.get("1")).await.expect("read");
    let err = bounded(users.replace(&user))
        .await
        .expect_err("no header injection");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("version")),
        "{err:?}"
    );
    assert_stayed_home(&home, &evil, &["/Users/1"]).await;
}

#[tokio::test]
async fn bulk_locations_elsewhere_give_ids_used_under_the_base_url() {
    let (home, evil) = two_servers().await;
    mount_at(&home, "/ServiceProviderConfig", config(&json!({}))).await;
    let location = format!("{}/Users/new-1", evil.uri());
    mount_at(
        &home,
        "/Bulk",
        scim(
            200,
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"],
                "Operations": [{"method": "POST", "bulkId": "b1", "status": "201", "location": location}]}),
        ),
    )
    .await;
    answer(&home, scim(200, &user_json("new-1", "bjensen"))).await;
    let c = client(&home.uri());
    let mut bulk = Bulk::new();
    let alice = bulk.create(&User::<()>::new("alice")).expect("queued");
    let results = bounded(c.bulk(bulk)).await.expect("bulk answered");
    let id = results.id_of(&alice).expect("an id").to_owned();
    assert_eq!(id, "new-1");
    bounded(c.resource::<User>().get(&id)).await.expect("read");
    assert_stayed_home(
        &home,
        &evil,
        &["/ServiceProviderConfig", "/Bulk", "/Users/new-1"],
    )
    .await;
}

/// Discovery with `/ResourceTypes` naming `endpoint`: refused, nothing learnt, later requests
/// go to the base URL.
async fn discovery_refuses_endpoint(endpoint: &str) {
    let (home, evil) = two_servers().await;
    let endpoint = endpoint.replace("EVIL", &evil.uri());
    mount_at(&home, "/ServiceProviderConfig", config(&json!({}))).await;
    mount_at(
        &home,
        "/ResourceTypes",
        resource_types(&json!({"endpoint": endpoint})),
    )
    .await;
    mount_at(&home, "/Schemas", schemas_page(&json!({}))).await;
    answer(&home, scim(200, &user_json("1", "bjensen"))).await;
    let c = client(&home.uri());
    let err = bounded(c.discover()).await.expect_err("inconsistent");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("endpoint")),
        "{endpoint}: {err:?}"
    );
    assert_eq!(c.resource::<User>().endpoint(), "/Users");
    bounded(c.resource::<User>().get("1"))
        .await
        .expect("read at home");
    assert_stayed_home(
        &home,
        &evil,
        &[
            "/ServiceProviderConfig",
            "/ResourceTypes",
            "/Schemas",
            "/Users/1",
        ],
    )
    .await;
}

#[tokio::test]
async fn discovered_endpoint_on_another_host_is_refused() {
    discovery_refuses_endpoint("EVIL/Users").await;
}

#[tokio::test]
async fn discovered_protocol_relative_endpoint_is_refused() {
    discovery_refuses_endpoint("//127.0.0.1:1/Users").await;
}

#[tokio::test]
async fn discovered_endpoint_with_dot_dot_is_refused() {
    discovery_refuses_endpoint("/../Users").await;
}

#[tokio::test]
async fn discovered_endpoint_with_a_query_is_refused() {
    discovery_refuses_endpoint("/Users?redirect=EVIL").await;
}

// ---------------------------------------------------------------------------------------------
// Redirects: never followed, so the token never reaches the other server.
// ---------------------------------------------------------------------------------------------

/// `op` answered by a redirect with `status` to the evil server: an `UnexpectedStatus`, and
/// the evil server sees no request (hence no token).
async fn redirect_case<F, Fut, T>(status: u16, op: F)
where
    F: FnOnce(scim_client::Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
    T: std::fmt::Debug,
{
    let (home, evil) = two_servers().await;
    answer(
        &home,
        ResponseTemplate::new(status).insert_header("Location", format!("{}/Users/1", evil.uri())),
    )
    .await;
    let err = bounded(op(client(&home.uri())))
        .await
        .expect_err("a redirect is not an answer");
    assert_eq!(err.status(), Some(status), "{err:?}");
    let leaked = requests(&evil).await;
    assert!(
        leaked
            .iter()
            .all(|r| !format!("{:?}", r.headers).contains(TOKEN)),
        "the token reached the other server"
    );
    assert!(leaked.is_empty(), "the redirect was followed: {leaked:?}");
    assert_eq!(requests(&home).await.len(), 1);
}

#[tokio::test]
async fn redirect_302_on_get() {
    redirect_case(302, |c| async move { c.resource::<User>().get("1").await }).await;
}

#[tokio::test]
async fn redirect_307_on_create() {
    redirect_case(307, |c| async move {
        c.resource::<User>().create(&User::new("bjensen")).await
    })
    .await;
}

#[tokio::test]
async fn redirect_308_on_replace() {
    redirect_case(308, |c| async move {
        c.resource::<User>()
            .replace(&super::common::held_user())
            .await
    })
    .await;
}

#[tokio::test]
async fn redirect_301_on_list() {
    redirect_case(301, |c| async move {
        c.resource::<User>()
            .list(&scim_client::protocol::SearchRequest::new())
            .await
    })
    .await;
}

#[tokio::test]
async fn redirect_303_on_delete() {
    redirect_case(
        303,
        |c| async move { c.resource::<User>().delete("1").await },
    )
    .await;
}

#[tokio::test]
async fn redirect_307_on_discovery() {
    redirect_case(307, |c| async move { c.discover().await }).await;
}

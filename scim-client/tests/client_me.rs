//! `/Me` (RFC 7644 section 3.11): every operation goes to `/Me`, with no id.

use scim_client::Client;
use scim_client::client::Conditional;
use scim_client::model::User;
use scim_client::protocol::{PatchOp, SearchRequest};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn user_body(version: &str) -> serde_json::Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "2819c223",
        "userName": "bjensen",
        "meta": {"resourceType": "User", "version": version}
    })
}

fn scim(status: u16, body: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        serde_json::to_vec(body).expect("json"),
        "application/scim+json",
    )
}

fn client(server: &MockServer) -> Client<scim_client::transport::ReqwestTransport> {
    Client::builder(&format!("{}/v2", server.uri()))
        .bearer_token("t0k")
        .build()
        .expect("client")
}

#[tokio::test]
async fn get_create_replace_patch_delete_go_to_me() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/Me"))
        .and(query_param("attributes", "userName"))
        .and(header("authorization", "Bearer t0k"))
        .respond_with(scim(200, &user_body("W/\"1\"")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/Me"))
        .and(body_partial_json(json!({"userName": "bjensen"})))
        .respond_with(scim(201, &user_body("W/\"1\"")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v2/Me"))
        .and(header("if-match", "W/\"1\""))
        .respond_with(scim(200, &user_body("W/\"2\"")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v2/Me"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v2/Me"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let me = client(&server).me::<User>();
    let current = me
        .get_with(&SearchRequest::new().attributes(["userName"]))
        .await
        .expect("get");
    assert_eq!(current.user_name.as_deref(), Some("bjensen"));
    let created = me.create(&User::new("bjensen")).await.expect("create");
    assert_eq!(created.id.as_deref(), Some("2819c223"));
    let replaced = me.replace(&current).await.expect("replace");
    assert_eq!(
        replaced.meta.and_then(|m| m.version).as_deref(),
        Some("W/\"2\"")
    );
    assert!(
        me.patch(None, &PatchOp::new().replace("nickName", "Babs"))
            .await
            .expect("patch")
            .is_none()
    );
    me.delete(None).await.expect("delete");
}

#[tokio::test]
async fn refresh_and_server_without_me() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/Me"))
        .and(header("if-none-match", "W/\"1\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    let c = client(&server);
    let current: User = serde_json::from_value(user_body("W/\"1\"")).expect("user");
    assert_eq!(
        c.me::<User>().refresh(&current).await.expect("304"),
        Conditional::NotModified
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/Me"))
        .respond_with(scim(
            501,
            &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "501", "detail": "no /Me"}),
        ))
        .mount(&server)
        .await;
    let err = client(&server).me::<User>().get().await.expect_err("501");
    assert_eq!(err.status(), Some(501));
}

/// RFC 9865: a server whose configuration prefers cursors is paged by cursor even when the
/// request does not ask for one.
#[tokio::test]
async fn stream_follows_the_servers_preferred_pagination() {
    use futures_util::StreamExt as _;
    use wiremock::matchers::query_param_is_missing;

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/ServiceProviderConfig"))
        .respond_with(scim(
            200,
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "pagination": {"cursor": true, "index": true, "defaultPaginationMethod": "cursor"}
            }),
        ))
        .mount(&server)
        .await;
    let page = |ids: &[&str], next: Option<&str>| {
        let mut body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "Resources": ids.iter().map(|id| json!({"id": id, "userName": id})).collect::<Vec<_>>()
        });
        if let Some(n) = next {
            body["nextCursor"] = json!(n);
        }
        scim(200, &body)
    };
    Mock::given(method("GET"))
        .and(path("/v2/Users"))
        .and(query_param("cursor", ""))
        .and(query_param_is_missing("startIndex"))
        .respond_with(page(&["a", "b"], Some("c2")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/Users"))
        .and(query_param("cursor", "c2"))
        .respond_with(page(&["c"], None))
        .mount(&server)
        .await;

    let c = client(&server);
    c.service_provider_config().await.expect("config");
    let ids: Vec<String> = c
        .resource::<User>()
        .stream(SearchRequest::new().count(2))
        .map(|r| r.expect("user").id.expect("id"))
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c"]);
}

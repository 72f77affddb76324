//! Bearer-token authentication against the server started with `--bearer-token`
//! (`SCIM_AUTH_BASE_URL`, `SCIM_AUTH_TOKEN`): the right token works, a missing or wrong one
//! (or HTTP Basic) gets a 401 error, and `/ServiceProviderConfig` is open to all.

use scim_client::model::{EnterpriseUser, User};
use scim_client::protocol::SearchRequest;
use scim_client::{Client, Error};
use scim_interop_tests::{AuthServer, auth_server, enterprise_user, unique};

type EUser = User<EnterpriseUser>;

fn assert_unauthorized(e: &Error) {
    assert_eq!(e.status(), Some(401), "{e:?}");
    // The server sends a SCIM error body with the 401, without scimType.
    let body = e
        .scim_error()
        .unwrap_or_else(|| panic!("a SCIM error: {e:?}"));
    assert_eq!(body.status, 401);
    assert_eq!(body.scim_type, None);
    assert!(!e.is_not_found() && !e.is_conflict() && !e.is_transport());
}

/// Every kind of call a client without valid credentials makes is refused.
async fn assert_refused(client: &Client, server: &AuthServer, existing: &str) {
    let api = client.resource::<EUser>();
    let e = api.get(existing).await.expect_err("get");
    assert_unauthorized(&e);
    let e = api
        .list(&SearchRequest::new().count(1))
        .await
        .expect_err("list");
    assert_unauthorized(&e);
    let e = api
        .search(&SearchRequest::new().count(1))
        .await
        .expect_err(".search");
    assert_unauthorized(&e);
    let e = api
        .create(&EUser::new(unique("intruder")))
        .await
        .expect_err("create");
    assert_unauthorized(&e);
    let e = api.delete(existing).await.expect_err("delete");
    assert_unauthorized(&e);
    let e = client
        .discover()
        .await
        .expect_err("discover reads /ResourceTypes");
    assert_unauthorized(&e);

    // /ServiceProviderConfig needs no credentials, and announces the bearer scheme.
    let config = client
        .service_provider_config()
        .await
        .expect("ServiceProviderConfig is public");
    assert!(
        config
            .authentication_schemes
            .iter()
            .any(|s| s.type_.as_deref() == Some("oauthbearertoken")),
        "{config:?} on {}",
        server.base_url
    );
}

#[tokio::test]
async fn right_token_works() {
    let Some(server) = auth_server("auth::right_token_works") else {
        return;
    };
    let scim = server.client();
    let api = scim.resource::<EUser>();
    let name = unique("authed");
    let created = api.create(&enterprise_user(&name)).await.expect("create");
    let id = created.id.clone().expect("id");
    assert_eq!(api.get(&id).await.expect("get"), created);
    let page = api
        .list(&SearchRequest::new().filter(format!(r#"userName eq "{name}""#)))
        .await
        .expect("list");
    assert_eq!(page.total_results, Some(1));

    let discovery = scim.discover().await.expect("discover");
    assert!(
        discovery
            .config
            .authentication_schemes
            .iter()
            .any(|s| s.type_.as_deref() == Some("oauthbearertoken"))
    );
    assert!(discovery.resource_types.len() >= 2);

    api.delete(&id).await.expect("delete");
}

#[tokio::test]
async fn missing_token_is_unauthorized() {
    let Some(server) = auth_server("auth::missing_token_is_unauthorized") else {
        return;
    };
    let existing = server
        .client()
        .resource::<EUser>()
        .create(&EUser::new(unique("target")))
        .await
        .expect("create with the token")
        .id
        .expect("id");
    let anonymous = Client::builder(&server.base_url)
        .build()
        .expect("client without token");
    assert_refused(&anonymous, &server, &existing).await;
    // Nothing was deleted by the refused call.
    server
        .client()
        .resource::<EUser>()
        .delete(&existing)
        .await
        .expect("cleanup");
}

#[tokio::test]
async fn wrong_token_is_unauthorized() {
    let Some(server) = auth_server("auth::wrong_token_is_unauthorized") else {
        return;
    };
    let existing = server
        .client()
        .resource::<EUser>()
        .create(&EUser::new(unique("target")))
        .await
        .expect("create with the token")
        .id
        .expect("id");
    let wrong = Client::builder(&server.base_url)
        .bearer_token(format!("{}-wrong", server.token))
        .build()
        .expect("client with a wrong token");
    assert_refused(&wrong, &server, &existing).await;

    // HTTP Basic with the token as password is not the bearer scheme.
    let basic = Client::builder(&server.base_url)
        .basic_auth("admin", server.token.clone())
        .build()
        .expect("client with basic auth");
    assert_refused(&basic, &server, &existing).await;

    server
        .client()
        .resource::<EUser>()
        .delete(&existing)
        .await
        .expect("cleanup");
}

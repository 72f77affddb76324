//! Client plumbing against the open server (`SCIM_BASE_URL`): base URL spellings, the
//! response size limit, transport errors, and raw requests.

use std::time::Duration;

use scim_client::client::RetryPolicy;
use scim_client::model::User;
use scim_client::protocol::SearchRequest;
use scim_client::transport::BodyTooLarge;
use scim_client::{Client, Error};
use scim_interop_tests::{base_url, raw_get, unique};

#[tokio::test]
async fn base_url_spellings() {
    let Some(url) = base_url("client::base_url_spellings") else {
        return;
    };
    let name = unique("base");
    let canonical = Client::builder(&url).build().expect("client");
    let created = canonical
        .resource::<User>()
        .create(&User::new(name.clone()))
        .await
        .expect("create");
    let id = created.id.clone().expect("id");

    // A trailing slash, or a query string, changes nothing.
    for spelling in [format!("{url}/"), format!("{url}?tenant=ignored")] {
        let scim = Client::builder(&spelling).build().expect("client");
        let got = scim.resource::<User>().get(&id).await.expect("get");
        assert_eq!(got, created, "with base URL {spelling}");
    }
    canonical
        .resource::<User>()
        .delete(&id)
        .await
        .expect("cleanup");
}

#[tokio::test]
async fn response_size_limit() {
    let Some(url) = base_url("client::response_size_limit") else {
        return;
    };
    let small = Client::builder(&url)
        .max_response_bytes(64)
        .build()
        .expect("client");
    let e = small
        .resource::<User>()
        .list(&SearchRequest::new().count(5))
        .await
        .expect_err("a page is larger than 64 bytes");
    assert!(e.is_transport(), "{e:?}");
    let Error::Transport { source, .. } = &e else {
        unreachable!()
    };
    assert!(source.is::<BodyTooLarge>(), "{source:?}");
}

#[tokio::test]
async fn nobody_listening_is_a_transport_error() {
    let Some(_) = base_url("client::nobody_listening_is_a_transport_error") else {
        return;
    };
    // A port that was free a moment ago, on the loopback interface.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let scim = Client::builder(&format!("http://127.0.0.1:{port}/v2"))
        .retry(
            RetryPolicy::default()
                .max_retries(1)
                .base_delay(Duration::from_millis(10)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let e = scim
        .resource::<User>()
        .get("x")
        .await
        .expect_err("connection refused");
    assert!(e.is_transport(), "{e:?}");
    assert_eq!(e.status(), None);
}

#[tokio::test]
async fn raw_requests_see_the_server_as_it_is() {
    let Some(url) = base_url("client::raw_requests_see_the_server_as_it_is") else {
        return;
    };
    let scim = Client::builder(&url).build().expect("client");
    let (status, body) = raw_get(&scim, "/Users/does-not-exist").await;
    assert_eq!(status, 404);
    assert_eq!(
        body["status"], "404",
        "scim2-server sends status as a string"
    );
    let (status, body) = raw_get(&scim, "/ServiceProviderConfig").await;
    assert_eq!(status, 200);
    assert!(body.get("authenticationSchemes").is_none(), "{body}");
}

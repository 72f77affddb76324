//! The paging `stream` against servers whose counts lie: it must terminate, never yield a
//! resource twice, and never loop.

use std::collections::HashSet;

use futures_util::StreamExt as _;
use scim_client::error::Error;
use scim_client::model::User;
use scim_client::protocol::SearchRequest;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::common::{LIST, bounded, client, requests, scim, user_json};

/// The most items a stream may yield here before it is declared endless.
const MAX_ITEMS: usize = 1_000;

/// The `startIndex` of a request (1 when absent).
fn start_of(req: &Request) -> usize {
    req.url
        .query_pairs()
        .find(|(k, _)| k == "startIndex")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1)
}

/// Users `u{from}`..=`u{to}`.
fn users(from: usize, to: usize) -> Vec<Value> {
    (from..=to)
        .map(|i| user_json(&format!("u{i}"), "x"))
        .collect()
}

/// A page answering `resources` with these counts.
fn page(resources: &[Value], total: Option<i64>, start: usize) -> ResponseTemplate {
    let mut body = json!({"schemas": [LIST], "itemsPerPage": resources.len(),
        "startIndex": start, "Resources": resources});
    if let Some(t) = total {
        body["totalResults"] = json!(t);
    }
    scim(200, &body)
}

/// What a stream yielded: the ids in order, and the error it ended with, if any.
struct Drained {
    ids: Vec<String>,
    error: Option<Error>,
    requests: usize,
}

/// Drains `users.stream()` against `respond`, asserting it ends within the bound, yields at
/// most [`MAX_ITEMS`] and at most one error (its last item), and never a duplicate.
async fn drain<F>(respond: F) -> Drained
where
    F: Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
{
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(respond)
        .mount(&server)
        .await;
    let scim_client = client(&server.uri());
    let users = scim_client.resource::<User>();
    let mut stream = users.stream(SearchRequest::new().count(3));
    let mut ids = Vec::new();
    let mut error = None;
    bounded(async {
        while let Some(item) = stream.next().await {
            assert!(error.is_none(), "an item after an error: {item:?}");
            match item {
                Ok(user) => ids.push(user.id.clone().expect("an id")),
                Err(e) => error = Some(e),
            }
            assert!(ids.len() <= MAX_ITEMS, "the stream does not end");
        }
    })
    .await;
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicates yielded: {ids:?}");
    Drained {
        ids,
        error,
        requests: requests(&server).await.len(),
    }
}

fn expected(from: usize, to: usize) -> Vec<String> {
    (from..=to).map(|i| format!("u{i}")).collect()
}

/// A dataset of `n` users served 3 per page, with `total` reported.
fn dataset(n: usize, total: Option<i64>) -> impl Fn(&Request) -> ResponseTemplate {
    move |req| {
        let s = start_of(req).max(1);
        let end = (s + 2).min(n);
        let items = if s > n { Vec::new() } else { users(s, end) };
        page(&items, total, s)
    }
}

#[tokio::test]
async fn total_results_smaller_than_the_data_ends_once_reached() {
    let d = drain(dataset(10, Some(4))).await;
    assert!(d.error.is_none(), "{:?}", d.error);
    assert_eq!(d.ids, expected(1, 6), "two pages: the total is reached");
    assert_eq!(d.requests, 2);
}

#[tokio::test]
async fn total_results_larger_than_the_data_ends_on_the_empty_page() {
    let d = drain(dataset(7, Some(100))).await;
    assert!(d.error.is_none(), "{:?}", d.error);
    assert_eq!(d.ids, expected(1, 7));
    assert_eq!(d.requests, 4, "three pages and an empty one");
}

#[tokio::test]
async fn total_results_larger_and_the_last_page_repeated_forever() {
    let d = drain(|req: &Request| {
        let s = start_of(req);
        if s > 7 {
            page(&users(7, 7), Some(100), s)
        } else {
            page(&users(s, (s + 2).min(7)), Some(100), s)
        }
    })
    .await;
    assert_eq!(d.ids, expected(1, 7));
    assert!(
        matches!(&d.error, Some(Error::UnexpectedStatus { body, .. }) if body.contains("same page")),
        "{:?}",
        d.error
    );
}

#[tokio::test]
async fn a_server_ignoring_start_index_is_stopped() {
    let d = drain(|_: &Request| page(&users(1, 3), Some(100), 1)).await;
    assert_eq!(d.ids, expected(1, 3));
    assert!(
        matches!(&d.error, Some(Error::UnexpectedStatus { .. })),
        "{:?}",
        d.error
    );
    assert!(d.requests <= 3, "{} requests", d.requests);
}

#[tokio::test]
async fn items_per_page_lying_does_not_skip_or_repeat() {
    let d = drain(|req: &Request| {
        let s = start_of(req);
        let items = if s > 7 {
            Vec::new()
        } else {
            users(s, (s + 2).min(7))
        };
        let mut body = json!({"schemas": [LIST], "totalResults": 7, "itemsPerPage": 50,
            "startIndex": s, "Resources": items});
        body["itemsPerPage"] = json!(50);
        scim(200, &body)
    })
    .await;
    assert!(d.error.is_none(), "{:?}", d.error);
    assert_eq!(d.ids, expected(1, 7));
}

#[tokio::test]
async fn start_index_always_reported_as_one_ends_without_duplicates() {
    let d = drain(|req: &Request| {
        let s = start_of(req);
        let items = if s > 7 {
            Vec::new()
        } else {
            users(s, (s + 2).min(7))
        };
        page(&items, Some(7), 1)
    })
    .await;
    // Either the whole data set, or a prefix and an error: never a repeat.
    assert!(expected(1, 7).starts_with(&d.ids), "{:?}", d.ids);
    assert!(d.error.is_some() || d.ids.len() == 7, "{:?}", d.error);
}

#[tokio::test]
async fn resources_missing_while_total_results_is_positive_ends() {
    let d = drain(|_: &Request| scim(200, &json!({"schemas": [LIST], "totalResults": 5}))).await;
    assert!(d.ids.is_empty());
    assert!(d.error.is_none(), "{:?}", d.error);
    assert_eq!(d.requests, 1);
}

#[tokio::test]
async fn negative_total_results_ends_with_a_decode_error() {
    let d =
        drain(|req: &Request| page(&users(start_of(req), start_of(req) + 2), Some(-1), 1)).await;
    assert!(d.ids.is_empty());
    assert!(
        matches!(&d.error, Some(Error::Decode { path, .. }) if path == "totalResults"),
        "{:?}",
        d.error
    );
    assert_eq!(d.requests, 1);
}

#[tokio::test]
async fn total_results_zero_with_resources_ends_after_the_page() {
    let d = drain(dataset(10, Some(0))).await;
    assert_eq!(d.ids, expected(1, 3));
    assert_eq!(d.requests, 1);
}

#[tokio::test]
async fn overlapping_pages_are_not_yielded_twice() {
    // Each page starts one resource before the index asked for, but echoes the index asked.
    let d = drain(|req: &Request| {
        let s = start_of(req);
        let from = s.saturating_sub(1).max(1);
        let items = if from > 7 {
            Vec::new()
        } else {
            users(from, (from + 2).min(7))
        };
        page(&items, Some(7), s)
    })
    .await;
    // `drain` asserts there is no duplicate; whatever was yielded is in order.
    assert!(d.ids.windows(2).all(|w| w[0] != w[1]), "{:?}", d.ids);
}

#[tokio::test]
async fn a_failing_page_mid_stream_ends_it() {
    let d = drain(|req: &Request| {
        let s = start_of(req);
        if s > 3 {
            ResponseTemplate::new(200).set_body_raw("<html>oops</html>", "text/html")
        } else {
            page(&users(1, 3), Some(9), 1)
        }
    })
    .await;
    assert_eq!(d.ids, expected(1, 3));
    assert!(
        matches!(d.error, Some(Error::UnexpectedContentType { .. })),
        "{:?}",
        d.error
    );
}

#[tokio::test]
async fn a_cursor_that_comes_back_is_stopped() {
    let server_pages = |req: &Request| {
        let cursor = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "cursor")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let from = if cursor.is_empty() { 1 } else { 4 };
        scim(
            200,
            &json!({"schemas": [LIST], "Resources": users(from, from + 2), "nextCursor": "c1"}),
        )
    };
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(server_pages)
        .mount(&server)
        .await;
    let scim_client = client(&server.uri());
    let items: Vec<Result<User, Error>> = bounded(
        scim_client
            .resource::<User>()
            .stream(SearchRequest::new().cursor(""))
            .take(MAX_ITEMS)
            .collect(),
    )
    .await;
    assert!(items.len() < MAX_ITEMS, "the stream does not end");
    assert!(
        matches!(items.last(), Some(Err(Error::UnexpectedStatus { .. }))),
        "{items:?}"
    );
    assert!(requests(&server).await.len() <= 3);
}

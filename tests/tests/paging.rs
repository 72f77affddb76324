//! Pagination against the open server (`SCIM_BASE_URL`): 250 users of this run, streamed
//! page by page with `Api::stream`, each seen exactly once.

use std::collections::{BTreeSet, HashMap};

use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use scim_client::model::User;
use scim_client::protocol::{SearchRequest, SortOrder};
use scim_interop_tests::{open_client, unique};

const USERS: usize = 250;
const PAGE: u64 = 10;
const CONCURRENCY: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stream_pages_through_250_users() {
    let Some(scim) = open_client("paging::stream_pages_through_250_users") else {
        return;
    };
    let api = scim.resource::<User>();
    let p = unique("page");

    // Create them with bounded concurrency.
    let created: HashMap<String, String> = stream::iter(0..USERS)
        .map(|i| {
            let api = api.clone();
            let name = format!("{p}-{i:03}");
            async move {
                let user = api.create(&User::new(name.clone())).await?;
                Ok::<_, scim_client::Error>((user.id.expect("id"), name))
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await
        .expect("create users");
    assert_eq!(created.len(), USERS);
    let filter = format!(r#"userName sw "{p}-""#);

    // One page, to see the server's paging fields.
    let first = api
        .list(&SearchRequest::new().filter(filter.clone()).count(PAGE))
        .await
        .expect("first page");
    assert_eq!(first.total_results, Some(USERS as u64));
    assert_eq!(first.items_per_page, Some(PAGE));
    assert_eq!(first.start_index, Some(1));
    assert_eq!(first.resources.len() as u64, PAGE);

    // Every user exactly once, in the server's order (by id).
    let seen: Vec<User> = api
        .stream(SearchRequest::new().filter(filter.clone()).count(PAGE))
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(seen.len(), USERS, "every user once, no more");
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for u in &seen {
        *counts.entry(u.id.as_deref().expect("id")).or_default() += 1;
        let id = u.id.as_deref().expect("id");
        assert_eq!(
            created.get(id),
            u.user_name.as_ref(),
            "id and userName match"
        );
    }
    assert!(counts.values().all(|&n| n == 1), "duplicates: {counts:?}");
    let seen_ids: BTreeSet<&str> = counts.keys().copied().collect();
    let created_ids: BTreeSet<&str> = created.keys().map(String::as_str).collect();
    assert_eq!(seen_ids, created_ids);

    // Sorted descending by userName, with a projection: the order holds across pages.
    let names: Vec<String> = api
        .stream(
            SearchRequest::new()
                .filter(filter.clone())
                .sort_by("userName")
                .sort_order(SortOrder::Descending)
                .attributes(["userName"])
                .count(PAGE),
        )
        .map_ok(|u| u.user_name.expect("userName"))
        .try_collect()
        .await
        .expect("sorted stream");
    let mut expected: Vec<String> = created.values().cloned().collect();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, expected);

    // Starting in the middle: the stream ends at totalResults.
    let tail: Vec<User> = api
        .stream(
            SearchRequest::new()
                .filter(filter.clone())
                .sort_by("userName")
                .start_index(236)
                .count(PAGE),
        )
        .try_collect()
        .await
        .expect("stream from 236");
    let tail: Vec<String> = tail.into_iter().filter_map(|u| u.user_name).collect();
    let expected_tail: Vec<String> = (235..USERS).map(|i| format!("{p}-{i:03}")).collect();
    assert_eq!(tail, expected_tail);

    // A page size the server caps or an odd one still sees everything once.
    let odd: Vec<User> = api
        .stream(SearchRequest::new().filter(filter.clone()).count(7))
        .try_collect()
        .await
        .expect("stream by 7");
    assert_eq!(odd.len(), USERS);

    // Clean up, with the same bound.
    stream::iter(created.keys())
        .map(|id| api.delete(id))
        .buffer_unordered(CONCURRENCY)
        .try_collect::<Vec<()>>()
        .await
        .expect("delete users");
    let gone = api
        .list(&SearchRequest::new().filter(filter).count(1))
        .await
        .expect("list after delete");
    assert_eq!(gone.total_results, Some(0));
    assert!(gone.resources.is_empty());
}

#[tokio::test]
async fn cursor_pagination_unsupported_is_an_error_not_a_short_stream() {
    let Some(scim) =
        open_client("paging::cursor_pagination_unsupported_is_an_error_not_a_short_stream")
    else {
        return;
    };
    let api = scim.resource::<User>();
    // scim2-server does not do RFC 9865 cursors: it answers 501, which the stream yields.
    let mut pages = api.stream(SearchRequest::new().cursor("").count(PAGE));
    let first = pages.next().await.expect("an item");
    let e = first.expect_err("501");
    assert_eq!(e.status(), Some(501), "{e:?}");
    assert!(
        pages.next().await.is_none(),
        "the stream ends after the error"
    );
}

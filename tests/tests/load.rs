//! Load against the open server (`SCIM_BASE_URL`): nothing lost, nothing duplicated.
//!
//! 2,000 users of this run are created twice over (in two tests): once through single
//! `POST /Users` requests, 16 in flight at a time, and once through one [`Bulk`] that the
//! client splits to the server's `maxOperations`/`maxPayloadSize`. Every error is counted (none
//! is swallowed by a `try_collect` stopping at the first) and must be zero; then the users are
//! streamed back with [`Api::stream`](scim_client::client::Api::stream), filtered on the run's
//! prefix, and each must be seen exactly once with the id and `userName` its create answered.
//! The figures (count, concurrency, elapsed, errors, lost, duplicated) are printed with
//! `eprintln!` (`--nocapture` shows them).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use futures_util::{StreamExt as _, stream};
use scim_client::Client;
use scim_client::client::Bulk;
use scim_client::model::User;
use scim_client::protocol::SearchRequest;
use scim_interop_tests::{open_client, unique};

/// Users created by each test.
const USERS: usize = 2_000;
/// Requests in flight at a time for the single creates.
const CONCURRENCY: usize = 16;
/// The page size of the stream reading them back (the server caps pages at 1,000).
const PAGE: u64 = 200;

/// What a stream of the run's users found, compared with what the creates answered.
#[derive(Debug, Default)]
struct Tally {
    /// Users the stream yielded (duplicates included).
    seen: usize,
    /// Errors the stream yielded.
    errors: Vec<String>,
    /// Created users the stream did not yield.
    lost: Vec<String>,
    /// Ids the stream yielded more than once, with how often.
    duplicated: Vec<(String, usize)>,
    /// Ids the stream yielded that no create answered.
    unexpected: Vec<String>,
    /// Ids whose `userName` differs from the one created under that id.
    mismatched: Vec<(String, Option<String>)>,
}

/// Streams every user whose `userName` starts with `prefix` and compares them with `created`
/// (id -> `userName`). The stream goes on after an error (there should be none), so that
/// every error is counted.
async fn stream_back(scim: &Client, prefix: &str, created: &HashMap<String, String>) -> Tally {
    let api = scim.resource::<User>();
    let mut pages = api.stream(
        SearchRequest::new()
            .filter(format!(r#"userName sw "{prefix}""#))
            .attributes(["userName"])
            .count(PAGE),
    );
    let mut tally = Tally::default();
    let mut counts: HashMap<String, usize> = HashMap::new();
    while let Some(item) = pages.next().await {
        match item {
            Ok(user) => {
                tally.seen += 1;
                let Some(id) = user.id else {
                    tally.errors.push(format!("a user without id: {user:?}"));
                    continue;
                };
                match created.get(&id) {
                    None => tally.unexpected.push(id.clone()),
                    Some(name) if user.user_name.as_ref() != Some(name) => {
                        tally.mismatched.push((id.clone(), user.user_name.clone()));
                    }
                    Some(_) => {}
                }
                *counts.entry(id).or_default() += 1;
            }
            Err(e) => tally.errors.push(format!("stream: {e}")),
        }
    }
    tally.lost = created
        .keys()
        .filter(|id| !counts.contains_key(*id))
        .cloned()
        .collect();
    tally.duplicated = counts.into_iter().filter(|&(_, n)| n > 1).collect();
    tally
}

/// Prints the figures of a run, then asserts that nothing went wrong.
fn report(what: &str, elapsed: Duration, create_errors: &[String], created: usize, t: &Tally) {
    eprintln!(
        "load::{what}: {USERS} users, concurrency {what_concurrency}, created in {elapsed:.2?}; \
         created {created}, streamed back {seen}; errors: {errors} (create {create}, stream \
         {stream}); lost: {lost}; duplicated: {dup}; unexpected: {unexpected}; mismatched \
         userName: {mismatched}",
        what_concurrency = if what == "bulk" {
            "1 (split bulk)".to_owned()
        } else {
            CONCURRENCY.to_string()
        },
        seen = t.seen,
        errors = create_errors.len() + t.errors.len(),
        create = create_errors.len(),
        stream = t.errors.len(),
        lost = t.lost.len(),
        dup = t.duplicated.len(),
        unexpected = t.unexpected.len(),
        mismatched = t.mismatched.len(),
    );
    let first = |v: &[String]| v.iter().take(5).cloned().collect::<Vec<_>>();
    assert!(
        create_errors.is_empty(),
        "{} create errors, first: {:?}",
        create_errors.len(),
        first(create_errors)
    );
    assert!(
        t.errors.is_empty(),
        "{} stream errors, first: {:?}",
        t.errors.len(),
        first(&t.errors)
    );
    assert_eq!(created, USERS, "every create answered a distinct id");
    assert!(
        t.lost.is_empty(),
        "{} lost, first: {:?}",
        t.lost.len(),
        first(&t.lost)
    );
    assert!(t.duplicated.is_empty(), "duplicated: {:?}", t.duplicated);
    assert!(t.unexpected.is_empty(), "unexpected: {:?}", t.unexpected);
    assert!(t.mismatched.is_empty(), "mismatched: {:?}", t.mismatched);
    assert_eq!(t.seen, USERS, "every user exactly once");
}

/// Deletes the users in one split bulk (quicker than 2,000 DELETEs), and checks none is left.
async fn cleanup(scim: &Client, prefix: &str, ids: impl Iterator<Item = &String>) {
    let mut bulk = Bulk::new();
    for id in ids {
        bulk.delete::<User>(id).expect("valid delete");
    }
    let done = scim.bulk(bulk).await.expect("cleanup bulk runs");
    assert!(
        done.is_success(),
        "cleanup: {:?}",
        done.errors().take(5).collect::<Vec<_>>()
    );
    let left = scim
        .resource::<User>()
        .list(
            &SearchRequest::new()
                .filter(format!(r#"userName sw "{prefix}""#))
                .count(0),
        )
        .await
        .expect("count after cleanup");
    assert_eq!(left.total_results, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_thousand_single_creates_all_come_back_once() {
    let Some(scim) = open_client("load::two_thousand_single_creates_all_come_back_once") else {
        return;
    };
    let api = scim.resource::<User>();
    let prefix = format!("{}-", unique("load"));

    let started = Instant::now();
    let outcomes: Vec<(String, Result<User, scim_client::Error>)> = stream::iter(0..USERS)
        .map(|i| {
            let api = api.clone();
            let name = format!("{prefix}{i:04}");
            async move {
                let outcome = api.create(&User::new(name.clone())).await;
                (name, outcome)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed();

    // Every outcome looked at: errors counted, ids collected.
    let mut errors = Vec::new();
    let mut created: HashMap<String, String> = HashMap::new();
    for (name, outcome) in outcomes {
        match outcome {
            Ok(user) => match user.id {
                Some(id) => {
                    if user.user_name.as_ref() != Some(&name) {
                        errors.push(format!("{name}: created as {:?}", user.user_name));
                    }
                    if let Some(other) = created.insert(id.clone(), name.clone()) {
                        errors.push(format!("{name}: id {id} already answered for {other}"));
                    }
                }
                None => errors.push(format!("{name}: created without an id")),
            },
            Err(e) => errors.push(format!("{name}: {e}")),
        }
    }
    let names: HashSet<&String> = created.values().collect();
    assert_eq!(names.len(), created.len(), "one id per userName");

    let read = Instant::now();
    let tally = stream_back(&scim, &prefix, &created).await;
    eprintln!(
        "load::single: streamed back by pages of {PAGE} in {:.2?}",
        read.elapsed()
    );
    report("single", elapsed, &errors, created.len(), &tally);
    cleanup(&scim, &prefix, created.keys()).await;
}

#[tokio::test]
async fn two_thousand_bulk_creates_all_come_back_once() {
    let Some(scim) = open_client("load::two_thousand_bulk_creates_all_come_back_once") else {
        return;
    };
    let prefix = format!("{}-", unique("loadbulk"));
    let mut bulk = Bulk::new();
    let refs: Vec<_> = (0..USERS)
        .map(|i| {
            let name = format!("{prefix}{i:04}");
            let r = bulk.create(&User::<()>::new(name.clone())).expect("valid");
            (name, r)
        })
        .collect();

    let started = Instant::now();
    let results = scim.bulk(bulk).await.expect("the bulk runs");
    let elapsed = started.elapsed();

    // The server's limits, to check the split.
    let config = scim.known_config().expect("bulk read the configuration");
    let limits = config.bulk.as_ref().expect("bulk limits");
    let max_operations = limits
        .max_operations
        .and_then(|n| usize::try_from(n).ok())
        .expect("maxOperations");
    eprintln!(
        "load::bulk: {USERS} creates in {} requests (maxOperations {max_operations}, \
         maxPayloadSize {:?})",
        results.requests(),
        limits.max_payload_size
    );
    assert!(results.requests() >= USERS.div_ceil(max_operations));
    assert_eq!(results.len(), USERS);
    assert!(
        results.interruption().is_none(),
        "{:?}",
        results.interruption()
    );

    // Every per-operation result checked: processed, 201, an id, distinct.
    let mut errors = Vec::new();
    let mut created: HashMap<String, String> = HashMap::new();
    for (name, r) in &refs {
        match results.outcome_of(r) {
            None => errors.push(format!("{name}: not processed")),
            Some(o) if o.status != 201 => {
                errors.push(format!("{name}: status {} {:?}", o.status, o.error));
            }
            Some(o) => match results.id_of(r) {
                Some(id) => {
                    if let Some(other) = created.insert(id.to_owned(), name.clone()) {
                        errors.push(format!("{name}: id {id} already answered for {other}"));
                    }
                    if o.location.is_none() {
                        errors.push(format!("{name}: 201 without a location"));
                    }
                }
                None => errors.push(format!("{name}: 201 without an id")),
            },
        }
    }
    errors.extend(results.errors().map(|(i, e)| format!("operation {i}: {e}")));
    errors.extend(
        results
            .not_processed()
            .map(|i| format!("operation {i} not processed")),
    );

    let read = Instant::now();
    let tally = stream_back(&scim, &prefix, &created).await;
    eprintln!(
        "load::bulk: streamed back by pages of {PAGE} in {:.2?}",
        read.elapsed()
    );
    report("bulk", elapsed, &errors, created.len(), &tally);
    cleanup(&scim, &prefix, created.keys()).await;
}

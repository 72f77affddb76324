//! `ETag`s against the open server (`SCIM_BASE_URL`): a stale `meta.version` gives 412 on
//! replace, PATCH and DELETE, `refresh` of an unchanged resource gives `NotModified`, and
//! `Api::update` from two concurrent tasks loses no write.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use scim_client::client::Conditional;
use scim_client::model::{EnterpriseUser, User};
use scim_client::protocol::{PatchOp, SearchRequest};
use scim_interop_tests::{email, enterprise_user, open_client, unique};

type EUser = User<EnterpriseUser>;

/// Updates per task in `concurrent_updates_all_land`.
const EACH: usize = 8;

fn version<E: scim_client::ExtensionSet>(user: &User<E>) -> String {
    user.meta
        .as_ref()
        .and_then(|m| m.version.clone())
        .expect("meta.version")
}

#[tokio::test]
async fn stale_version_is_precondition_failed() {
    let Some(scim) = open_client("etag::stale_version_is_precondition_failed") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let stale = api
        .create(&enterprise_user(&unique("stale")))
        .await
        .expect("create");
    let id = stale.id.clone().expect("id");

    // A first writer moves the version on.
    let mut first = stale.clone();
    first.title = Some("First writer".to_owned());
    let current = api
        .replace(&first)
        .await
        .expect("replace with current version");
    assert_ne!(version(&current), version(&stale));

    // A second writer holding the old version is refused.
    let mut second = stale.clone();
    second.title = Some("Second writer".to_owned());
    let e = api
        .replace(&second)
        .await
        .expect_err("replace with stale version");
    assert!(e.is_precondition_failed(), "{e:?}");
    assert_eq!(e.scim_type(), None);
    assert_eq!(
        api.get(&id).await.expect("get").title.as_deref(),
        Some("First writer"),
        "the refused write changed nothing"
    );

    // The same for PATCH and DELETE with If-Match.
    let patch = PatchOp::new().replace("title", "Patched");
    let e = api
        .patch_if_match(&id, Some(&version(&stale)), &patch)
        .await
        .expect_err("patch with stale version");
    assert!(e.is_precondition_failed(), "{e:?}");
    api.patch_if_match(&id, Some(&version(&current)), &patch)
        .await
        .expect("patch with current version");
    let e = api
        .delete_if_match(&id, Some(&version(&current)))
        .await
        .expect_err("delete with the version before the patch");
    assert!(e.is_precondition_failed(), "{e:?}");

    // A replace without a version is unconditional.
    let mut blind = api.get(&id).await.expect("get");
    let latest = version(&blind);
    blind.meta = None;
    blind.title = Some("Blind write".to_owned());
    api.replace(&blind).await.expect("replace without If-Match");

    let now = api.get(&id).await.expect("get");
    assert_ne!(version(&now), latest);
    api.delete_if_match(&id, Some(&version(&now)))
        .await
        .expect("delete with current version");
}

#[tokio::test]
async fn refresh_unchanged_is_not_modified() {
    let Some(scim) = open_client("etag::refresh_unchanged_is_not_modified") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let created = api
        .create(&enterprise_user(&unique("refresh")))
        .await
        .expect("create");
    let id = created.id.clone().expect("id");

    assert_eq!(
        api.refresh(&created).await.expect("refresh"),
        Conditional::NotModified
    );
    let fetched = api.get(&id).await.expect("get");
    assert_eq!(
        api.refresh(&fetched).await.expect("refresh after get"),
        Conditional::NotModified
    );

    api.patch(&id, &PatchOp::new().replace("nickName", "babs"))
        .await
        .expect("patch");
    let Conditional::Modified(fresh) = api.refresh(&created).await.expect("refresh after patch")
    else {
        panic!("the resource changed, refresh must answer Modified");
    };
    assert_eq!(fresh.nick_name.as_deref(), Some("babs"));
    assert_ne!(version(&fresh), version(&created));
    assert_eq!(
        fresh.extension::<EnterpriseUser>(),
        created.extension::<EnterpriseUser>()
    );
    assert_eq!(
        api.refresh(&fresh).await.expect("refresh the fresh copy"),
        Conditional::NotModified
    );

    // A copy from a list (version from `meta.version` in the body, no `ETag` header) too.
    let listed = api
        .list(&SearchRequest::new().filter(format!(r#"id eq "{id}""#)))
        .await
        .expect("list by id");
    assert_eq!(listed.resources.len(), 1);
    assert_eq!(version(&listed.resources[0]), version(&fresh));
    assert_eq!(
        api.refresh(&listed.resources[0])
            .await
            .expect("refresh a listed copy"),
        Conditional::NotModified
    );

    // Without a version, refresh is a plain read.
    let mut unversioned = fresh.clone();
    unversioned.meta = None;
    assert!(matches!(
        api.refresh(&unversioned)
            .await
            .expect("refresh without version"),
        Conditional::Modified(_)
    ));

    api.delete(&id).await.expect("cleanup");
}

/// Two tasks, forced to collide: A reads, B writes, then A's first replace is stale (412) and
/// `update` must read again and re-apply A's change.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn update_retries_after_a_concurrent_write() {
    let Some(scim) = open_client("etag::update_retries_after_a_concurrent_write") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let id = api
        .create(&enterprise_user(&unique("collide")))
        .await
        .expect("create")
        .id
        .expect("id");

    let (a_read_tx, a_read_rx) = mpsc::channel::<()>();
    let (b_done_tx, b_done_rx) = mpsc::channel::<()>();
    let a_calls = Arc::new(AtomicUsize::new(0));

    let task_a = {
        let (api, id, a_calls) = (api.clone(), id.clone(), Arc::clone(&a_calls));
        tokio::spawn(async move {
            api.update(&id, 5, move |user| {
                if a_calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    // A has read: let B write, and wait until it has.
                    a_read_tx.send(()).expect("signal B");
                    tokio::task::block_in_place(|| {
                        b_done_rx
                            .recv_timeout(Duration::from_secs(30))
                            .expect("B finished");
                    });
                }
                user.title = Some("set by A".to_owned());
            })
            .await
        })
    };
    let task_b = {
        let (api, id) = (api.clone(), id.clone());
        tokio::spawn(async move {
            tokio::task::spawn_blocking(move || {
                a_read_rx
                    .recv_timeout(Duration::from_secs(30))
                    .expect("A read");
            })
            .await
            .expect("wait for A");
            let written = api
                .update(&id, 5, |user| user.nick_name = Some("set by B".to_owned()))
                .await;
            b_done_tx.send(()).expect("signal A");
            written
        })
    };
    let b = task_b.await.expect("task B").expect("B's update");
    let a = task_a.await.expect("task A").expect("A's update");

    assert_eq!(
        a_calls.load(Ordering::SeqCst),
        2,
        "A's first replace was stale, so its change was applied twice"
    );
    assert_eq!(b.nick_name.as_deref(), Some("set by B"));
    assert_eq!(
        a.nick_name.as_deref(),
        Some("set by B"),
        "A re-read B's write"
    );
    let now = api.get(&id).await.expect("get");
    assert_eq!(now.title.as_deref(), Some("set by A"));
    assert_eq!(now.nick_name.as_deref(), Some("set by B"));

    api.delete(&id).await.expect("cleanup");
}

/// Two tasks racing freely, each adding its own emails one update at a time: all land.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_all_land() {
    let Some(scim) = open_client("etag::concurrent_updates_all_land") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let name = unique("race");
    let id = api
        .create(&EUser::new(name.clone()))
        .await
        .expect("create")
        .id
        .expect("id");
    let calls = Arc::new(AtomicUsize::new(0));

    let tasks: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let (api, id, calls, name) =
                (api.clone(), id.clone(), Arc::clone(&calls), name.clone());
            tokio::spawn(async move {
                for i in 0..EACH {
                    let value = format!("{who}{i}-{name}@example.com");
                    let calls = Arc::clone(&calls);
                    api.update(&id, 50, move |user| {
                        calls.fetch_add(1, Ordering::SeqCst);
                        user.emails.push(email(&value, "other", false));
                    })
                    .await?;
                }
                Ok::<_, scim_client::Error>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task").expect("updates");
    }

    let user = api.get(&id).await.expect("get");
    let mut values: Vec<String> = user.emails.iter().filter_map(|e| e.value.clone()).collect();
    values.sort();
    let mut expected: Vec<String> = ["a", "b"]
        .iter()
        .flat_map(|who| (0..EACH).map(move |i| (who, i)))
        .map(|(who, i)| format!("{who}{i}-{name}@example.com"))
        .collect();
    expected.sort();
    assert_eq!(values, expected, "no update was lost");
    let calls = calls.load(Ordering::SeqCst);
    assert!(calls >= 2 * EACH);
    eprintln!("{} updates took {calls} attempts", 2 * EACH);

    api.delete(&id).await.expect("cleanup");
}

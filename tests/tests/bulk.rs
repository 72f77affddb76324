//! Bulk operations against the open server (`SCIM_BASE_URL`): a user and a group holding it
//! created in one request through a `bulkId` reference; a failing operation (a duplicate
//! `userName`) answered `409` while the others succeed; and a bulk split into several requests
//! by a small per-request cap, with a group referencing users created by earlier requests,
//! creating every user exactly once (then deleted in another split bulk).

use std::collections::HashSet;

use scim_client::client::Bulk;
use scim_client::model::{Group, GroupMember, User};
use scim_client::protocol::{ScimType, SearchRequest};
use scim_interop_tests::{open_client, unique};

fn member(value: String) -> GroupMember {
    GroupMember {
        value: Some(value),
        type_: Some("User".to_owned()),
        ..GroupMember::default()
    }
}

fn member_ids(group: &Group) -> HashSet<String> {
    group
        .members
        .iter()
        .filter_map(|m| m.value.clone())
        .collect()
}

#[tokio::test]
async fn user_and_group_in_one_request() {
    let Some(scim) = open_client("bulk::user_and_group_in_one_request") else {
        return;
    };
    let p = unique("bulk");
    let mut bulk = Bulk::new().fail_on_errors(1);
    let alice = bulk
        .create(&User::<()>::new(format!("{p}-alice")))
        .expect("valid user");
    let group = bulk
        .create(&Group {
            display_name: Some(format!("{p} Tour Guides")),
            members: vec![member(alice.reference())],
            ..Group::default()
        })
        .expect("valid group");

    let results = scim.bulk(bulk).await.expect("bulk runs");
    assert_eq!(results.requests(), 1);
    assert!(results.is_success(), "{results:?}");
    let alice_id = results.id_of(&alice).expect("alice created").to_owned();
    let group_id = results.id_of(&group).expect("group created").to_owned();
    let outcome = results.outcome_of(&group).expect("processed");
    assert_eq!(outcome.status, 201);
    assert!(
        outcome
            .location
            .as_deref()
            .is_some_and(|l| l.ends_with(&format!("/Groups/{group_id}"))),
        "{outcome:?}"
    );

    // The server resolved the reference: the group holds alice's real id.
    let stored = scim
        .resource::<Group>()
        .get(&group_id)
        .await
        .expect("read the group");
    assert_eq!(member_ids(&stored), HashSet::from([alice_id.clone()]));
    let user = scim
        .resource::<User>()
        .get(&alice_id)
        .await
        .expect("read alice");
    assert_eq!(
        user.user_name.as_deref(),
        Some(format!("{p}-alice").as_str())
    );

    let mut cleanup = Bulk::new();
    cleanup.delete::<Group>(&group_id).expect("valid");
    cleanup.delete::<User>(&alice_id).expect("valid");
    let done = scim.bulk(cleanup).await.expect("cleanup runs");
    assert!(done.is_success(), "{done:?}");
    assert_eq!(done.outcome(0).map(|o| o.status), Some(204));
}

#[tokio::test]
async fn a_failing_operation_does_not_fail_the_others() {
    let Some(scim) = open_client("bulk::a_failing_operation_does_not_fail_the_others") else {
        return;
    };
    let p = unique("bulkdup");
    let mut bulk = Bulk::new();
    let first = bulk
        .create(&User::<()>::new(format!("{p}-same")))
        .expect("valid");
    let duplicate = bulk
        .create(&User::<()>::new(format!("{p}-same")))
        .expect("valid");
    let other = bulk
        .create(&User::<()>::new(format!("{p}-other")))
        .expect("valid");

    let results = scim
        .bulk(bulk)
        .await
        .expect("a 200 even with a failed operation");
    assert!(results.is_complete());
    assert!(!results.is_success());
    assert_eq!(results.outcome_of(&first).map(|o| o.status), Some(201));
    assert_eq!(results.outcome_of(&other).map(|o| o.status), Some(201));
    let failed = results.outcome_of(&duplicate).expect("processed");
    assert_eq!(failed.status, 409);
    assert_eq!(results.id_of(&duplicate), None);
    let errors: Vec<_> = results.errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, duplicate.index());
    assert_eq!(errors[0].1.status, 409);
    assert_eq!(errors[0].1.scim_type, Some(ScimType::Uniqueness));

    let users = scim.resource::<User>();
    for created in [&first, &other] {
        let id = results.id_of(created).expect("created");
        users.delete(id).await.expect("cleanup");
    }
}

#[tokio::test]
async fn a_split_bulk_creates_every_user_exactly_once() {
    let Some(scim) = open_client("bulk::a_split_bulk_creates_every_user_exactly_once") else {
        return;
    };
    let p = unique("bulksplit");
    let mut bulk = Bulk::new().max_operations(50);
    let users: Vec<_> = (0..120)
        .map(|i| {
            bulk.create(&User::<()>::new(format!("{p}-{i:03}")))
                .expect("valid")
        })
        .collect();
    // Added last, it references users that travel in the first, second and third requests.
    let group = bulk
        .create(&Group {
            display_name: Some(format!("{p} group")),
            members: [0, 60, 119]
                .iter()
                .map(|&i: &usize| member(users[i].reference()))
                .collect(),
            ..Group::default()
        })
        .expect("valid");

    let results = scim.bulk(bulk).await.expect("bulk runs");
    assert_eq!(results.requests(), 3);
    assert!(
        results.is_success(),
        "{:?}",
        results.errors().collect::<Vec<_>>()
    );
    let ids: Vec<String> = users
        .iter()
        .map(|u| results.id_of(u).expect("created").to_owned())
        .collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        120,
        "distinct ids"
    );

    // Exactly 120 users with the prefix on the server, with the ids the results name.
    let page = scim
        .resource::<User>()
        .list(
            &SearchRequest::new()
                .filter(format!(r#"userName sw "{p}-""#))
                .count(500),
        )
        .await
        .expect("list the users");
    assert_eq!(page.total_results, Some(120));
    let listed: HashSet<String> = page.resources.iter().filter_map(|u| u.id.clone()).collect();
    assert_eq!(listed, ids.iter().cloned().collect::<HashSet<_>>());

    // The references to users of earlier requests were rewritten to their ids.
    let group_id = results.id_of(&group).expect("group created").to_owned();
    let stored = scim
        .resource::<Group>()
        .get(&group_id)
        .await
        .expect("read the group");
    assert_eq!(
        member_ids(&stored),
        HashSet::from([ids[0].clone(), ids[60].clone(), ids[119].clone()])
    );

    // Clean up with another split bulk.
    let mut cleanup = Bulk::new().max_operations(50);
    cleanup.delete::<Group>(&group_id).expect("valid");
    for id in &ids {
        cleanup.delete::<User>(id).expect("valid");
    }
    let done = scim.bulk(cleanup).await.expect("cleanup runs");
    assert_eq!(done.requests(), 3);
    assert!(done.is_success(), "{:?}", done.errors().collect::<Vec<_>>());
}

//! Groups with members against the open server (`SCIM_BASE_URL`): create a group holding a
//! user, read the members back, add and remove members with PATCH, replace, filter, search at
//! the root, delete.

use scim_client::model::{Group, GroupMember, User};
use scim_client::protocol::{PatchOp, SearchRequest};
use scim_interop_tests::{open_client, unique};

fn member(id: &str) -> GroupMember {
    GroupMember {
        value: Some(id.to_owned()),
        type_: Some("User".to_owned()),
        ..GroupMember::default()
    }
}

fn member_ids(group: &Group) -> Vec<String> {
    let mut ids: Vec<String> = group
        .members
        .iter()
        .filter_map(|m| m.value.clone())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn group_with_members() {
    let Some(scim) = open_client("groups::group_with_members") else {
        return;
    };
    let users = scim.resource::<User>();
    let groups = scim.resource::<Group>();
    let p = unique("grp");

    let alice = users
        .create(&User::new(format!("{p}-alice")))
        .await
        .expect("create alice")
        .id
        .expect("id");
    let bob = users
        .create(&User::new(format!("{p}-bob")))
        .await
        .expect("create bob")
        .id
        .expect("id");

    // A group holding alice.
    let wanted = Group {
        display_name: Some(format!("{p} Tour Guides")),
        external_id: Some(format!("ext-{p}")),
        members: vec![member(&alice)],
        ..Group::default()
    };
    let created = groups.create(&wanted).await.expect("create group");
    let gid = created.id.clone().expect("group id");
    assert_eq!(created.display_name, wanted.display_name);
    assert_eq!(created.external_id, wanted.external_id);
    assert_eq!(
        created
            .meta
            .as_ref()
            .and_then(|m| m.resource_type.as_deref()),
        Some("Group")
    );
    assert_eq!(member_ids(&created), std::slice::from_ref(&alice));

    // Read back.
    let fetched = groups.get(&gid).await.expect("get group");
    assert_eq!(member_ids(&fetched), std::slice::from_ref(&alice));
    assert_eq!(fetched.members[0].type_.as_deref(), Some("User"));
    assert_eq!(fetched, created);

    // PATCH add bob.
    let add = PatchOp::new().add(
        "members",
        serde_json::json!([{"value": bob, "type": "User"}]),
    );
    assert!(
        groups
            .patch(&gid, &add)
            .await
            .expect("add member")
            .is_none()
    );
    let fetched = groups.get(&gid).await.expect("get after add");
    let mut both = vec![alice.clone(), bob.clone()];
    both.sort();
    assert_eq!(member_ids(&fetched), both);

    // Filter groups by member and by name.
    let by_member = groups
        .list(&SearchRequest::new().filter(format!(r#"members[value eq "{bob}"]"#)))
        .await
        .expect("filter on members");
    assert_eq!(by_member.total_results, Some(1));
    assert_eq!(by_member.resources[0].id.as_deref(), Some(gid.as_str()));
    let by_name = groups
        .list(&SearchRequest::new().filter(format!(r#"displayName eq "{p} tour guides""#)))
        .await
        .expect("filter on displayName");
    assert_eq!(by_name.resources.len(), 1, "displayName is not caseExact");

    // Root search narrowed to groups.
    let root = scim
        .search::<Group>(&SearchRequest::new().filter(format!(
            r#"meta.resourceType eq "Group" and displayName sw "{p}""#
        )))
        .await
        .expect("root search for groups");
    assert_eq!(root.total_results, Some(1));
    assert_eq!(member_ids(&root.resources[0]), both);

    // PATCH remove alice by value filter.
    let remove = PatchOp::new().remove(format!(r#"members[value eq "{alice}"]"#));
    groups.patch(&gid, &remove).await.expect("remove member");
    let fetched = groups.get(&gid).await.expect("get after remove");
    assert_eq!(member_ids(&fetched), std::slice::from_ref(&bob));

    // Replace: rename, keep members as read.
    let mut renamed = fetched.clone();
    renamed.display_name = Some(format!("{p} Renamed"));
    renamed.members.push(member(&alice));
    let replaced = groups.replace(&renamed).await.expect("replace group");
    assert_eq!(
        replaced.display_name.as_deref(),
        Some(format!("{p} Renamed").as_str())
    );
    assert_eq!(member_ids(&replaced), both);

    // Replace with no members empties the group.
    let mut emptied = replaced.clone();
    emptied.members.clear();
    let emptied = groups
        .replace(&emptied)
        .await
        .expect("replace with no members");
    assert!(emptied.members.is_empty());
    assert!(groups.get(&gid).await.expect("get").members.is_empty());

    // Group displayName is not unique on this server.
    let twin = groups
        .create(&Group {
            display_name: Some(format!("{p} Renamed")),
            ..Group::default()
        })
        .await
        .expect("a second group with the same name");

    for id in [&gid, twin.id.as_ref().expect("id")] {
        groups.delete(id).await.expect("delete group");
        let e = groups.get(id).await.expect_err("deleted group");
        assert!(e.is_not_found(), "{e:?}");
    }
    for id in [&alice, &bob] {
        users.delete(id).await.expect("delete user");
    }
}

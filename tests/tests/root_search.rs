//! `POST /.search` at the root of the open server (`SCIM_BASE_URL`): mixed results parsed into
//! a `#[derive(ScimDispatch)]` enum, dispatched on `schemas`.

use scim_client::ScimDispatch;
use scim_client::model::{EnterpriseUser, Group, GroupMember, User};
use scim_client::protocol::SearchRequest;
use scim_interop_tests::{enterprise_user, open_client, unique};
use serde_json::{Map, Value};

/// Anything the root search may return.
// Each variant holds its resource by value, as `ScimDispatch` expects; sizes differ, which is
// fine for a list of search results.
#[allow(clippy::large_enum_variant)]
#[derive(ScimDispatch, Clone, Debug, PartialEq)]
enum AnyResource {
    User(User<EnterpriseUser>),
    Group(Group),
    #[scim(other)]
    Other(Map<String, Value>),
}

#[tokio::test]
async fn root_search_returns_users_and_groups() {
    let Some(scim) = open_client("root_search::root_search_returns_users_and_groups") else {
        return;
    };
    let users = scim.resource::<User<EnterpriseUser>>();
    let groups = scim.resource::<Group>();
    let p = unique("mixed");

    let user = users
        .create(&enterprise_user(&format!("{p}-user")))
        .await
        .expect("create user");
    let uid = user.id.clone().expect("id");
    let group = groups
        .create(&Group {
            display_name: Some(format!("{p}-group")),
            members: vec![GroupMember {
                value: Some(uid.clone()),
                type_: Some("User".to_owned()),
                ..GroupMember::default()
            }],
            ..Group::default()
        })
        .await
        .expect("create group");
    let gid = group.id.clone().expect("id");

    let found = scim
        .search::<AnyResource>(
            &SearchRequest::new()
                .filter(format!(r#"userName sw "{p}-" or displayName sw "{p}-""#))
                .count(10),
        )
        .await
        .expect("root search");
    assert_eq!(found.total_results, Some(2), "{found:?}");
    let mut seen_user = false;
    let mut seen_group = false;
    for r in &found.resources {
        match r {
            AnyResource::User(u) => {
                assert_eq!(u, &user);
                seen_user = true;
            }
            AnyResource::Group(g) => {
                assert_eq!(g, &group);
                seen_group = true;
            }
            AnyResource::Other(m) => panic!("unexpected resource {m:?}"),
        }
    }
    assert!(seen_user && seen_group);

    // Narrowed to one type with `meta.resourceType`, and with a projection.
    let only_groups = scim
        .search::<AnyResource>(
            &SearchRequest::new()
                .filter(format!(
                    r#"meta.resourceType eq "Group" and displayName sw "{p}-""#
                ))
                .attributes(["displayName"]),
        )
        .await
        .expect("root search for groups");
    assert_eq!(only_groups.resources.len(), 1);
    match &only_groups.resources[0] {
        AnyResource::Group(g) => {
            assert_eq!(g.id.as_deref(), Some(gid.as_str()));
            assert_eq!(
                g.display_name.as_deref(),
                Some(format!("{p}-group").as_str())
            );
            assert!(g.members.is_empty(), "not asked for");
        }
        other => panic!("expected a group, got {other:?}"),
    }

    groups.delete(&gid).await.expect("delete group");
    users.delete(&uid).await.expect("delete user");
}

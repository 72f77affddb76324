//! The blocking client against the real server: the same operations as the async suite,
//! through `scim_client::blocking` (reqwest's blocking transport).

use scim_client::blocking::Client;
use scim_client::client::Conditional;
use scim_client::model::{EnterpriseUser, Group, GroupMember, User};
use scim_client::protocol::{PatchOp, ScimType, SearchRequest};
use scim_interop_tests::{auth_server, base_url, enterprise_user, unique};

fn client(url: &str) -> Client {
    Client::builder(url).build().expect("blocking client")
}

#[test]
fn crud_list_stream_etag_and_errors() {
    let Some(url) = base_url("blocking::crud_list_stream_etag_and_errors") else {
        return;
    };
    let scim = client(&url);
    scim.discover().expect("discover");
    let users = scim.resource::<User<EnterpriseUser>>();
    let prefix = unique("blk");

    // Create, read, list by filter.
    let created = users
        .create(&enterprise_user(&format!("{prefix}-a")))
        .expect("create");
    let id = created.id.clone().expect("id");
    let read = users.get(&id).expect("get");
    assert_eq!(read.user_name, created.user_name);
    let page = users
        .list(&SearchRequest::new().filter(User::path().user_name().eq(format!("{prefix}-a"))))
        .expect("list");
    assert_eq!(page.resources.len(), 1);

    // 409 on a duplicate userName; 404 on an unknown id.
    let dup = users
        .create(&enterprise_user(&format!("{prefix}-a")))
        .expect_err("duplicate");
    assert!(dup.is_conflict());
    assert_eq!(dup.scim_type(), Some(&ScimType::Uniqueness));
    assert!(users.get("no-such-user").expect_err("404").is_not_found());

    // Replace with If-Match; a stale copy gets 412; refresh gets 304.
    let mut changed = read.clone();
    changed.display_name = Some("Babs".to_owned());
    let replaced = users.replace(&changed).expect("replace");
    assert!(
        users
            .replace(&changed)
            .expect_err("stale")
            .is_precondition_failed()
    );
    assert_eq!(
        users.refresh(&replaced).expect("refresh"),
        Conditional::NotModified
    );

    // PATCH (204) and read-modify-write.
    assert!(
        users
            .patch(&id, &PatchOp::new().replace(User::path().nick_name(), "B"))
            .expect("patch")
            .is_none()
    );
    let updated = users
        .update(&id, 3, |u| u.title = Some("Tour Guide".to_owned()))
        .expect("update");
    assert_eq!(updated.nick_name.as_deref(), Some("B"));
    assert_eq!(updated.title.as_deref(), Some("Tour Guide"));

    // A group holding the user; paging through several users with the iterator.
    for i in 0..5 {
        users
            .create(&enterprise_user(&format!("{prefix}-p{i}")))
            .expect("create page user");
    }
    let group = scim
        .resource::<Group>()
        .create(&Group {
            display_name: Some(format!("{prefix}-group")),
            members: vec![GroupMember {
                value: Some(id.clone()),
                ..GroupMember::default()
            }],
            ..Group::default()
        })
        .expect("group");
    assert_eq!(group.members.len(), 1);
    let seen: Vec<User<EnterpriseUser>> = users
        .stream(
            SearchRequest::new()
                .filter(User::path().user_name().sw(format!("{prefix}-p")))
                .count(2),
        )
        .collect::<Result<_, _>>()
        .expect("stream");
    assert_eq!(seen.len(), 5);

    // Clean up.
    scim.resource::<Group>()
        .delete(group.id.as_deref().expect("group id"))
        .expect("delete group");
    for u in seen {
        users.delete(u.id.as_deref().expect("id")).expect("delete");
    }
    users.delete(&id).expect("delete");
    assert!(users.get(&id).expect_err("gone").is_not_found());
}

#[test]
fn bearer_token_and_401() {
    let Some(server) = auth_server("blocking::bearer_token_and_401") else {
        return;
    };
    let good = Client::builder(&server.base_url)
        .bearer_token(server.token.clone())
        .build()
        .expect("client");
    good.resource::<User>()
        .list(&SearchRequest::new().count(1))
        .expect("authorised");
    let bad = Client::builder(&server.base_url)
        .bearer_token("wrong")
        .build()
        .expect("client");
    let err = bad
        .resource::<User>()
        .list(&SearchRequest::new().count(1))
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
}

//! Users with the enterprise extension against the open server (`SCIM_BASE_URL`): the whole
//! lifecycle, filters, `.search` on the endpoint and at the root, PATCH with value-filter and
//! extension paths, 409 and 404, and read-then-replace with a type that lacks the extension.

use scim_client::model::{EnterpriseUser, User};
use scim_client::protocol::{PatchOp, ScimType, SearchRequest, SortOrder};
use scim_client::{Api, Client, Resource};
use scim_interop_tests::{
    ENTERPRISE_URN, email, email_of, enterprise_user, open_client, raw_get, unique,
};

type EUser = User<EnterpriseUser>;

fn users(scim: &Client) -> Api<EUser> {
    scim.resource::<EUser>()
}

fn department(user: &EUser) -> Option<&str> {
    user.extension::<EnterpriseUser>()
        .and_then(|e| e.department.as_deref())
}

#[tokio::test]
async fn create_get_replace_patch_delete() {
    let Some(scim) = open_client("users::create_get_replace_patch_delete") else {
        return;
    };
    let api = users(&scim);
    let name = unique("crud");
    let wanted = enterprise_user(&name);

    // Create: the server assigns id and meta, and keeps the extension.
    let created = api.create(&wanted).await.expect("create");
    let id = created.id.clone().expect("id");
    let meta = created.meta.clone().expect("meta");
    assert_eq!(meta.resource_type.as_deref(), Some("User"));
    assert!(meta.version.as_deref().is_some_and(|v| v.starts_with("W/")));
    assert!(meta.created.is_some() && meta.last_modified.is_some());
    assert!(
        meta.location
            .as_ref()
            .is_some_and(|l| l.as_str().ends_with(&format!("/Users/{id}")))
    );
    assert_eq!(created.user_name.as_deref(), Some(name.as_str()));
    assert_eq!(created.name, wanted.name);
    assert_eq!(created.emails, wanted.emails);
    assert_eq!(
        created.extension::<EnterpriseUser>(),
        wanted.extension::<EnterpriseUser>()
    );
    assert!(created.schemas().iter().any(|s| s == ENTERPRISE_URN));
    assert!(created.unknown.is_empty(), "{:?}", created.unknown);
    assert!(created.password.is_none());

    // Get: the same resource.
    let fetched = api.get(&id).await.expect("get");
    assert_eq!(fetched, created);

    // Replace: everything not sent is removed.
    let mut changed = fetched.clone();
    changed.display_name = Some("Babs".to_owned());
    changed
        .emails
        .retain(|e| e.type_.as_deref() == Some("work"));
    changed
        .extension_mut::<EnterpriseUser>()
        .expect("extension")
        .department = Some(format!("moved-{name}"));
    changed.title = None;
    let replaced = api.replace(&changed).await.expect("replace");
    assert_eq!(replaced.id.as_deref(), Some(id.as_str()));
    assert_ne!(
        replaced.meta.as_ref().and_then(|m| m.version.clone()),
        meta.version,
        "a replace gives a new version"
    );
    let fetched = api.get(&id).await.expect("get after replace");
    assert_eq!(fetched.display_name.as_deref(), Some("Babs"));
    assert_eq!(fetched.title, None);
    assert_eq!(fetched.emails.len(), 1);
    assert_eq!(department(&fetched), Some(format!("moved-{name}").as_str()));
    assert_eq!(fetched, replaced);

    // Patch: 204, no body.
    let patch = PatchOp::new()
        .replace("title", "Chief Guide")
        .add("nickName", "babs")
        .replace("active", false);
    let answer = api.patch(&id, &patch).await.expect("patch");
    assert!(answer.is_none(), "scim2-server answers PATCH with 204");
    let fetched = api.get(&id).await.expect("get after patch");
    assert_eq!(fetched.title.as_deref(), Some("Chief Guide"));
    assert_eq!(fetched.nick_name.as_deref(), Some("babs"));
    assert_eq!(fetched.active, Some(false));
    assert_eq!(fetched.display_name.as_deref(), Some("Babs"));

    // Patch without a path: an object merged into the resource; remove an attribute.
    let patch = PatchOp::new()
        .replace_in_resource(serde_json::json!({
            "displayName": "Barbara J.",
            "name": {"middleName": "Jane"}
        }))
        .remove("nickName");
    api.patch(&id, &patch).await.expect("patch without path");
    let fetched = api.get(&id).await.expect("get after patch without path");
    assert_eq!(fetched.display_name.as_deref(), Some("Barbara J."));
    let name_now = fetched.name.clone().expect("name");
    assert_eq!(name_now.middle_name.as_deref(), Some("Jane"));
    assert_eq!(
        name_now.given_name.as_deref(),
        Some("Barbara"),
        "a complex value is merged, not replaced"
    );
    assert_eq!(fetched.nick_name, None);

    // Delete, then it is gone.
    api.delete(&id).await.expect("delete");
    let e = api.get(&id).await.expect_err("get after delete");
    assert!(e.is_not_found(), "{e:?}");
    let e = api.delete(&id).await.expect_err("second delete");
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn list_with_filters() {
    let Some(scim) = open_client("users::list_with_filters") else {
        return;
    };
    let api = users(&scim);
    let p = unique("flt");
    let mut ids = Vec::new();
    for (who, active) in [("alice", true), ("bob", false), ("carol", true)] {
        let mut u = enterprise_user(&format!("{p}-{who}"));
        u.active = Some(active);
        ids.push(api.create(&u).await.expect("create").id.expect("id"));
    }
    let names = |page: &scim_client::protocol::ListResponse<EUser>| {
        let mut v: Vec<String> = page
            .resources
            .iter()
            .filter_map(|u| u.user_name.clone())
            .collect();
        v.sort();
        v
    };

    let eq = api
        .list(&SearchRequest::new().filter(format!(r#"userName eq "{p}-bob""#)))
        .await
        .expect("eq");
    assert_eq!(eq.total_results, Some(1));
    assert_eq!(names(&eq), [format!("{p}-bob")]);
    assert_eq!(eq.resources[0].id, Some(ids[1].clone()));
    // The user comes back whole, extension included.
    assert_eq!(
        department(&eq.resources[0]),
        Some(format!("dept-{p}-bob").as_str())
    );

    // caseExact is false for userName: an upper-case filter value matches too.
    let upper = api
        .list(&SearchRequest::new().filter(format!(
            r#"userName eq "{}""#,
            format!("{p}-bob").to_ascii_uppercase()
        )))
        .await
        .expect("eq upper");
    assert_eq!(names(&upper), [format!("{p}-bob")]);

    let sw = api
        .list(&SearchRequest::new().filter(format!(r#"userName sw "{p}-""#)))
        .await
        .expect("sw");
    assert_eq!(sw.total_results, Some(3));
    assert_eq!(
        names(&sw),
        [
            format!("{p}-alice"),
            format!("{p}-bob"),
            format!("{p}-carol")
        ]
    );

    let co = api
        .list(&SearchRequest::new().filter(format!(r#"userName co "{p}-car""#)))
        .await
        .expect("co");
    assert_eq!(names(&co), [format!("{p}-carol")]);

    let and = api
        .list(&SearchRequest::new().filter(format!(r#"userName sw "{p}-" and active eq true"#)))
        .await
        .expect("and");
    assert_eq!(names(&and), [format!("{p}-alice"), format!("{p}-carol")]);

    let ext = api
        .list(&SearchRequest::new().filter(format!(
            r#"{ENTERPRISE_URN}:department eq "dept-{p}-alice""#
        )))
        .await
        .expect("extension filter");
    assert_eq!(names(&ext), [format!("{p}-alice")]);

    let complex = api
        .list(
            &SearchRequest::new().filter(format!(r#"emails[type eq "work" and value sw "{p}-b"]"#)),
        )
        .await
        .expect("value filter");
    assert_eq!(names(&complex), [format!("{p}-bob")]);

    let not = api
        .list(&SearchRequest::new().filter(format!(
            r#"userName sw "{p}-" and not (userName ew "-alice")"#
        )))
        .await
        .expect("not");
    assert_eq!(names(&not), [format!("{p}-bob"), format!("{p}-carol")]);

    // Sorting, paging and projection in the query string.
    let page = api
        .list(
            &SearchRequest::new()
                .filter(format!(r#"userName sw "{p}-""#))
                .sort_by("userName")
                .sort_order(SortOrder::Descending)
                .start_index(2)
                .count(1)
                .attributes(["userName"]),
        )
        .await
        .expect("sorted page");
    assert_eq!(page.total_results, Some(3));
    assert_eq!(page.start_index, Some(2));
    assert_eq!(page.items_per_page, Some(1));
    assert_eq!(page.resources.len(), 1);
    let only = &page.resources[0];
    assert_eq!(only.user_name.as_deref(), Some(format!("{p}-bob").as_str()));
    assert!(only.id.is_some(), "id is always returned");
    assert!(only.emails.is_empty() && only.meta.is_none());

    // An unknown attribute in a filter: 400 invalidFilter.
    let e = api
        .list(&SearchRequest::new().filter(r#"favoriteColor eq "blue""#))
        .await
        .expect_err("bad filter");
    assert_eq!(e.status(), Some(400), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidFilter), "{e:?}");

    for id in ids {
        api.delete(&id).await.expect("cleanup");
    }
}

#[tokio::test]
async fn search_on_endpoint_and_root() {
    let Some(scim) = open_client("users::search_on_endpoint_and_root") else {
        return;
    };
    let api = users(&scim);
    let p = unique("srch");
    let mut ids = Vec::new();
    for who in ["ann", "ben"] {
        let u = enterprise_user(&format!("{p}-{who}"));
        ids.push(api.create(&u).await.expect("create").id.expect("id"));
    }

    // POST /Users/.search
    let found = api
        .search(
            &SearchRequest::new()
                .filter(format!(r#"userName sw "{p}-""#))
                .sort_by("userName")
                .count(10),
        )
        .await
        .expect(".search");
    assert_eq!(found.total_results, Some(2));
    let names: Vec<_> = found
        .resources
        .iter()
        .map(|u| u.user_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, [format!("{p}-ann"), format!("{p}-ben")]);
    assert!(
        found
            .resources
            .iter()
            .all(|u| u.extension::<EnterpriseUser>().is_some())
    );

    // With a projection in the body.
    let projected = api
        .search(
            &SearchRequest::new()
                .filter(format!(r#"userName eq "{p}-ben""#))
                .attributes(["userName", "emails"]),
        )
        .await
        .expect(".search with attributes");
    assert_eq!(projected.resources.len(), 1);
    let ben = &projected.resources[0];
    assert_eq!(ben.id.as_deref(), Some(ids[1].as_str()));
    assert_eq!(ben.emails.len(), 2);
    assert!(ben.display_name.is_none() && ben.extension::<EnterpriseUser>().is_none());

    // POST /.search at the root: the filter only matches users, so one type is enough.
    let root = scim
        .search::<EUser>(&SearchRequest::new().filter(format!(r#"userName eq "{p}-ann""#)))
        .await
        .expect("root .search");
    assert_eq!(root.total_results, Some(1));
    assert_eq!(root.resources[0].id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(
        department(&root.resources[0]),
        Some(format!("dept-{p}-ann").as_str())
    );

    // The root search also sees other resource types: `meta.resourceType` narrows it.
    let root_users = scim
        .search::<EUser>(&SearchRequest::new().filter(format!(
            r#"meta.resourceType eq "User" and userName sw "{p}-""#
        )))
        .await
        .expect("root .search on meta");
    assert_eq!(root_users.total_results, Some(2));

    for id in ids {
        api.delete(&id).await.expect("cleanup");
    }
}

#[tokio::test]
async fn duplicate_user_name_is_a_uniqueness_conflict() {
    let Some(scim) = open_client("users::duplicate_user_name_is_a_uniqueness_conflict") else {
        return;
    };
    let api = users(&scim);
    let name = unique("dup");
    let first = api.create(&enterprise_user(&name)).await.expect("create");

    let e = api
        .create(&EUser::new(name.clone()))
        .await
        .expect_err("duplicate create");
    assert!(e.is_conflict(), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::Uniqueness), "{e:?}");

    // userName is not caseExact: another case clashes too.
    let e = api
        .create(&EUser::new(name.to_ascii_uppercase()))
        .await
        .expect_err("duplicate create, other case");
    assert!(e.is_conflict(), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::Uniqueness));

    // A replace that takes an existing userName clashes as well.
    let other = api
        .create(&EUser::new(unique("dup-other")))
        .await
        .expect("create other");
    let mut stolen = other.clone();
    stolen.user_name = Some(name.clone());
    let e = api
        .replace(&stolen)
        .await
        .expect_err("replace onto a taken name");
    assert!(e.is_conflict(), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::Uniqueness));

    for u in [first, other] {
        api.delete(u.id.as_deref().expect("id"))
            .await
            .expect("cleanup");
    }
}

#[tokio::test]
async fn unknown_id_is_not_found() {
    let Some(scim) = open_client("users::unknown_id_is_not_found") else {
        return;
    };
    let api = users(&scim);
    let id = unique("missing");

    let e = api.get(&id).await.expect_err("get");
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(e.scim_type(), None);
    assert!(e.scim_error().is_some_and(|s| s.detail.is_some()));

    let mut ghost = enterprise_user(&unique("ghost"));
    ghost.id = Some(id.clone());
    let e = api.replace(&ghost).await.expect_err("replace");
    assert!(e.is_not_found(), "{e:?}");

    let e = api
        .patch(&id, &PatchOp::new().replace("title", "x"))
        .await
        .expect_err("patch");
    assert!(e.is_not_found(), "{e:?}");

    let e = api.delete(&id).await.expect_err("delete");
    assert!(e.is_not_found(), "{e:?}");

    // An id with characters that need escaping stays one path segment.
    let e = api.get("a/b c?d").await.expect_err("odd id");
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn patch_with_value_filter_and_extension_paths() {
    let Some(scim) = open_client("users::patch_with_value_filter_and_extension_paths") else {
        return;
    };
    let api = users(&scim);
    let name = unique("vfp");
    let id = api
        .create(&enterprise_user(&name))
        .await
        .expect("create")
        .id
        .expect("id");

    let patch = PatchOp::new()
        .replace(
            r#"emails[type eq "work"].value"#,
            format!("{name}@new-work.example.com"),
        )
        .replace(format!("{ENTERPRISE_URN}:department"), "Patched Dept")
        .add(
            "phoneNumbers",
            serde_json::json!([{"value": "tel:+1-201-555-0123", "type": "work"}]),
        );
    assert!(api.patch(&id, &patch).await.expect("patch").is_none());

    let user = api.get(&id).await.expect("get");
    assert_eq!(
        email_of(&user, "work").as_deref(),
        Some(format!("{name}@new-work.example.com").as_str())
    );
    assert_eq!(
        email_of(&user, "home").as_deref(),
        Some(format!("{name}@home.example.com").as_str()),
        "the other email is untouched"
    );
    assert_eq!(user.emails.len(), 2);
    assert_eq!(department(&user), Some("Patched Dept"));
    assert_eq!(
        user.extension::<EnterpriseUser>()
            .and_then(|e| e.employee_number.as_deref()),
        Some("701984")
    );
    assert_eq!(user.phone_numbers.len(), 1);

    // Remove by value filter.
    let patch = PatchOp::new().remove(r#"emails[type eq "home"]"#);
    api.patch(&id, &patch).await.expect("patch remove");
    let user = api.get(&id).await.expect("get");
    assert_eq!(user.emails.len(), 1);
    assert_eq!(email_of(&user, "home"), None);

    // A path the schema does not know: 400 invalidPath.
    let e = api
        .patch(&id, &PatchOp::new().replace("favoriteColor", "blue"))
        .await
        .expect_err("bad path");
    assert_eq!(e.status(), Some(400), "{e:?}");
    assert_eq!(e.scim_type(), Some(&ScimType::InvalidPath), "{e:?}");

    // The read-only id: 400 mutability.
    let e = api
        .patch(&id, &PatchOp::new().replace("id", "other"))
        .await
        .expect_err("read-only path");
    assert_eq!(e.scim_type(), Some(&ScimType::Mutability), "{e:?}");

    api.delete(&id).await.expect("cleanup");
}

#[tokio::test]
async fn read_then_replace_keeps_attributes_the_type_lacks() {
    let Some(scim) = open_client("users::read_then_replace_keeps_attributes_the_type_lacks") else {
        return;
    };
    let full = users(&scim);
    let plain = scim.resource::<User>();
    let name = unique("keep");
    let created = full.create(&enterprise_user(&name)).await.expect("create");
    let id = created.id.clone().expect("id");
    let enterprise = created.extension::<EnterpriseUser>().cloned();
    let (_, created_raw) = raw_get(&scim, &format!("/Users/{id}")).await;
    assert_eq!(
        created_raw[ENTERPRISE_URN]["department"],
        format!("dept-{name}")
    );

    // `User<()>` does not model the extension: it lands in `unknown`.
    let mut user = plain.get(&id).await.expect("get as User<()>");
    let kept = user
        .unknown
        .get(ENTERPRISE_URN)
        .expect("extension kept as unknown");
    assert_eq!(kept["department"], format!("dept-{name}"));
    assert!(user.schemas().iter().any(|s| s == ENTERPRISE_URN));

    user.display_name = Some("Replaced without the extension type".to_owned());
    let replaced = plain.replace(&user).await.expect("replace as User<()>");
    assert!(replaced.unknown.contains_key(ENTERPRISE_URN));

    // On the server, the extension survived and the change landed: first as raw JSON, then
    // through the typed reader.
    let (status, raw) = raw_get(&scim, &format!("/Users/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(raw[ENTERPRISE_URN], created_raw[ENTERPRISE_URN]);
    assert!(
        raw["schemas"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s == ENTERPRISE_URN)),
        "{raw}"
    );
    assert_eq!(raw["displayName"], "Replaced without the extension type");
    let after = full.get(&id).await.expect("get after replace");
    assert_eq!(
        after.display_name.as_deref(),
        Some("Replaced without the extension type")
    );
    assert_eq!(after.extension::<EnterpriseUser>().cloned(), enterprise);
    assert!(after.unknown.is_empty(), "{:?}", after.unknown);

    // Again after a PATCH by someone else: read plain, change, replace plain.
    full.patch(&id, &PatchOp::new().replace("title", "After patch"))
        .await
        .expect("patch");
    let mut user = plain.get(&id).await.expect("get plain");
    user.emails
        .push(email(&format!("{name}@other.example.com"), "other", false));
    plain.replace(&user).await.expect("replace plain");
    let after = full.get(&id).await.expect("get after second replace");
    assert_eq!(after.title.as_deref(), Some("After patch"));
    assert_eq!(after.emails.len(), 3);
    assert_eq!(after.extension::<EnterpriseUser>().cloned(), enterprise);

    full.delete(&id).await.expect("cleanup");
}

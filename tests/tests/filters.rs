//! Filters against the open server (`SCIM_BASE_URL`): values that need escaping, built with
//! `scim_client::filter::Filter` and sent in a query string and in a `.search` body, and the
//! client's local evaluator (`Filter::matches`) agreeing with the server on a set of users.

use std::collections::BTreeSet;

use scim_client::codec::{self, Context};
use scim_client::filter::Filter;
use scim_client::model::{EnterpriseUser, User};
use scim_client::path::AttrPath;
use scim_client::protocol::SearchRequest;
use scim_interop_tests::{email, enterprise_user, open_client, unique};

type EUser = User<EnterpriseUser>;

fn path(p: &str) -> AttrPath {
    p.parse().expect("attribute path")
}

#[tokio::test]
async fn values_that_need_escaping() {
    let Some(scim) = open_client("filters::values_that_need_escaping") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let p = unique("esc");
    // Characters that are special in a URL query, in a filter string, or not ASCII.
    let tricky = format!("{p} a+b&c=d%20#x?y/z ü \"q\" back\\slash");
    let plain = format!("{p}-plain");
    let created = api
        .create(&EUser::new(tricky.clone()))
        .await
        .expect("create tricky");
    let other = api.create(&EUser::new(plain)).await.expect("create plain");
    assert_eq!(created.user_name.as_deref(), Some(tricky.as_str()));

    let filter = Filter::eq(path("userName"), tricky.as_str());
    let by_query = api
        .list(&SearchRequest::new().filter(filter.to_string()))
        .await
        .expect("list with an escaped value");
    assert_eq!(
        by_query.resources,
        std::slice::from_ref(&created),
        "filter {filter}"
    );
    let by_body = api
        .search(&SearchRequest::new().filter(filter.to_string()))
        .await
        .expect(".search with an escaped value");
    assert_eq!(by_body.resources, std::slice::from_ref(&created));

    // A value that looks like filter syntax matches nothing instead of everything.
    let injection = Filter::eq(path("userName"), format!(r#"{p}" or userName sw "{p}"#));
    let none = api
        .list(&SearchRequest::new().filter(injection.to_string()))
        .await
        .expect("list with injection attempt");
    assert_eq!(none.total_results, Some(0), "{injection}");

    for u in [created, other] {
        api.delete(u.id.as_deref().expect("id"))
            .await
            .expect("cleanup");
    }
}

#[tokio::test]
async fn local_evaluation_agrees_with_the_server() {
    let Some(scim) = open_client("filters::local_evaluation_agrees_with_the_server") else {
        return;
    };
    let api = scim.resource::<EUser>();
    let p = unique("eval");

    let mut users = Vec::new();
    for (i, (given, title, active)) in [
        ("Ann", Some("Tour Guide"), true),
        ("Bob", Some("Cook"), false),
        ("Cyd", None, true),
        ("Dee", Some("tour manager"), true),
    ]
    .into_iter()
    .enumerate()
    {
        let mut u = enterprise_user(&format!("{p}-{i}-{}", given.to_ascii_lowercase()));
        u.title = title.map(str::to_owned);
        u.active = Some(active);
        if i == 2 {
            u.emails = vec![email(&format!("{p}@cyd.example.org"), "home", false)];
            u.extensions.remove::<EnterpriseUser>();
        }
        users.push(api.create(&u).await.expect("create"));
    }
    let scope = Filter::sw(path("userName"), format!("{p}-"));

    let filters = [
        r#"title sw "tour""#,
        r#"title co "GUIDE""#,
        "title pr",
        "not (title pr)",
        "active eq false",
        r#"active eq true and title ew "er""#,
        r#"emails[type eq "home" and value ew ".org"]"#,
        r#"emails.type eq "work""#,
        r#"emails co "@cyd""#,
        r#"name.givenName eq "barbara""#,
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr",
        r#"meta.created gt "2000-01-01T00:00:00Z""#,
        r#"userName gt "~""#,
        r#"title eq "Cook" or (active eq true and not (title co "tour"))"#,
    ];
    let docs: Vec<_> = users
        .iter()
        .map(|u| codec::to_value(u, Context::QueryResponse).expect("to json"))
        .collect();
    for text in filters {
        let local = Filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let expected: BTreeSet<String> = users
            .iter()
            .zip(&docs)
            .filter(|(_, doc)| local.matches(doc))
            .filter_map(|(u, _)| u.id.clone())
            .collect();
        let sent = scope.clone().and(local.clone());
        let page = api
            .list(&SearchRequest::new().filter(sent.to_string()))
            .await
            .unwrap_or_else(|e| panic!("{sent}: {e:?}"));
        let served: BTreeSet<String> = page.resources.iter().filter_map(|u| u.id.clone()).collect();
        assert_eq!(served, expected, "filter {text} (sent as {sent})");
    }

    for u in users {
        api.delete(u.id.as_deref().expect("id"))
            .await
            .expect("cleanup");
    }
}

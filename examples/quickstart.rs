//! Quickstart: a provisioning flow end to end, as in the scim2-client README.
//!
//! It discovers the service provider, creates the user `bjensen` with the enterprise
//! extension, reads it back by id and by filter, replaces its `displayName` (with `If-Match`
//! from `meta.version`), shows the uniqueness error a duplicate gets, pages through users with
//! `stream`, and deletes what it created.
//!
//! By default it talks to the embedded demo server in-process, through `TowerTransport` (no
//! socket):
//!
//! ```sh
//! cargo run -p scim-examples --example quickstart
//! ```
//!
//! Set `SCIM_BASE_URL` (and `SCIM_TOKEN` for a bearer token) to run it against a real server:
//!
//! ```sh
//! SCIM_BASE_URL=http://127.0.0.1:8000/v2 cargo run -p scim-examples --example quickstart
//! ```

use futures_util::TryStreamExt as _;
use scim_client::filter::Filter;
use scim_client::model::{Email, PhoneNumber};
use scim_client::model::{EnterpriseUser, Manager, Name, User};
use scim_client::path::AttrPath;
use scim_client::protocol::{PatchOp, SearchRequest};
use scim_client::transport::{TowerTransport, Transport};
use scim_client::{Client, Error};
use scim_examples::demo_server::DemoServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(url) = std::env::var("SCIM_BASE_URL") {
        println!("server: {url}");
        let mut builder = Client::builder(&url);
        if let Ok(token) = std::env::var("SCIM_TOKEN") {
            builder = builder.bearer_token(token);
        }
        run(builder.build()?).await?;
    } else {
        let server = DemoServer::new();
        let base = format!("http://demo.test{}", DemoServer::BASE_PATH);
        println!("server: the embedded demo server, in-process at {base}");
        let scim = Client::builder(&base).build_with(TowerTransport::new(server.router()))?;
        run(scim).await?;
        println!("\nthe demo server received {} requests", server.requests());
    }
    Ok(())
}

/// The enterprise user of RFC 7643 section 8.3, trimmed.
fn bjensen() -> User<EnterpriseUser> {
    let mut user = User::<EnterpriseUser>::new("bjensen@example.com");
    user.external_id = Some("701984".to_owned());
    user.name = Some(Name {
        formatted: Some("Ms. Barbara J Jensen, III".to_owned()),
        family_name: Some("Jensen".to_owned()),
        given_name: Some("Barbara".to_owned()),
        ..Name::default()
    });
    user.display_name = Some("Babs".to_owned());
    user.title = Some("Tour Guide".to_owned());
    user.active = Some(true);
    user.emails = vec![Email {
        value: Some("bjensen@example.com".to_owned()),
        type_: Some("work".to_owned()),
        primary: Some(true),
        ..Email::default()
    }];
    user.phone_numbers = vec![PhoneNumber {
        value: Some("555-555-5555".to_owned()),
        type_: Some("work".to_owned()),
        ..PhoneNumber::default()
    }];
    user.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".to_owned()),
        cost_center: Some("4130".to_owned()),
        organization: Some("Universal Studios".to_owned()),
        division: Some("Theme Park".to_owned()),
        department: Some("Tour Operations".to_owned()),
        manager: Some(Manager {
            value: Some("26118915-6090-4610-87e4-49d8ca9f808d".to_owned()),
            ..Manager::default()
        }),
        ..EnterpriseUser::default()
    });
    user
}

async fn run<T: Transport>(scim: Client<T>) -> Result<(), Error> {
    // 1. Discovery: what the server supports, and where its resource types live.
    let discovery = scim.discover().await?;
    let supported = |s: Option<bool>| if s == Some(true) { "yes" } else { "no" };
    let cfg = &discovery.config;
    println!(
        "\n1. discover: patch {}, filter {}, etag {}, bulk {}",
        supported(cfg.patch.as_ref().and_then(|p| p.supported)),
        supported(cfg.filter.as_ref().and_then(|f| f.supported)),
        supported(cfg.etag.as_ref().and_then(|e| e.supported)),
        supported(cfg.bulk.as_ref().and_then(|b| b.supported)),
    );
    for rt in &discovery.resource_types {
        println!(
            "   resource type {} at {} ({} extension(s))",
            rt.name.as_deref().unwrap_or("?"),
            rt.endpoint.as_ref().map_or("?", |e| e.as_str()),
            rt.schema_extensions.len()
        );
    }
    println!("   {} schemas served", discovery.schemas.len());

    let users = scim.resource::<User<EnterpriseUser>>();

    // 2. Create bjensen with the enterprise extension. Read-only attributes are left out and
    //    `schemas` lists the extension; the server answers 201 with `Location` and `ETag`.
    let created = users.create(&bjensen()).await?;
    let id = created.id.clone().unwrap_or_default();
    let meta = created.meta.clone().unwrap_or_default();
    println!(
        "\n2. created {} with id {id}\n   version {}, location {}",
        created.user_name.as_deref().unwrap_or("?"),
        meta.version.as_deref().unwrap_or("-"),
        meta.location.as_ref().map_or("-", |l| l.as_str()),
    );

    // 3. Query it by id, then by filter (built with the filter builder, so values are always
    //    escaped).
    let mut fetched = users.get(&id).await?;
    let enterprise = fetched.extension::<EnterpriseUser>();
    println!(
        "\n3. get {id}: displayName {:?}, employeeNumber {:?}, department {:?}",
        fetched.display_name.as_deref().unwrap_or("-"),
        enterprise
            .and_then(|e| e.employee_number.as_deref())
            .unwrap_or("-"),
        enterprise
            .and_then(|e| e.department.as_deref())
            .unwrap_or("-"),
    );
    let by_name = Filter::eq(attr("userName")?, "bjensen@example.com");
    let page = users
        .list(&SearchRequest::new().filter(by_name.to_string()))
        .await?;
    println!(
        "   list filter={by_name}: {} result(s), first id {}",
        page.total_results.unwrap_or(0),
        page.resources
            .first()
            .and_then(|u| u.id.as_deref())
            .unwrap_or("-")
    );

    // 4. Replace its displayName; `replace` sends `If-Match` with the version just read.
    let before = fetched
        .meta
        .as_ref()
        .and_then(|m| m.version.clone())
        .unwrap_or_default();
    fetched.display_name = Some("Babs Jensen".to_owned());
    let replaced = users.replace(&fetched).await?;
    println!(
        "\n4. replaced displayName with {:?}: version {before} -> {}",
        replaced.display_name.as_deref().unwrap_or("-"),
        replaced
            .meta
            .as_ref()
            .and_then(|m| m.version.as_deref())
            .unwrap_or("-")
    );
    //    The copy read before the replace is now stale: writing it again is refused.
    match users.replace(&fetched).await {
        Err(e) if e.is_precondition_failed() => println!(
            "   a replace from the stale copy is refused: {e} ({})",
            e.scim_error()
                .and_then(|s| s.detail.as_deref())
                .unwrap_or("precondition failed")
        ),
        Err(e) => println!("   a replace from the stale copy failed: {e}"),
        Ok(_) => println!("   the server accepted a stale version (it ignores If-Match)"),
    }

    // 5. PATCH one attribute (no need to send the whole user).
    let patched = users
        .patch(&id, &PatchOp::new().replace("title", "Senior Tour Guide"))
        .await?;
    let title = match patched {
        Some(user) => user.title,
        None => users.get(&id).await?.title,
    };
    println!("\n5. patched title: {}", title.as_deref().unwrap_or("-"));

    // 6. A second user with the same userName (in another case): the server refuses it with a
    //    SCIM error whose scimType is `uniqueness`.
    match users.create(&User::new("BJensen@Example.com")).await {
        Err(e) => println!(
            "\n6. duplicate refused: {e}\n   status {:?}, scimType {:?}, detail {:?}",
            e.status(),
            e.scim_type().map(ToString::to_string),
            e.scim_error().and_then(|s| s.detail.as_deref()),
        ),
        Ok(dup) => {
            println!("\n6. the server accepted a duplicate userName; deleting it");
            if let Some(dup_id) = dup.id.as_deref() {
                users.delete(dup_id).await?;
            }
        }
    }

    // 7. More users, then every user page by page: `stream` asks for pages of 2 and yields
    //    users one at a time.
    let mut ids = vec![id.clone()];
    for name in ["jsmith", "mmustermann", "adupont", "pnowak"] {
        let user = users
            .create(&User::new(format!("{name}@example.com")))
            .await?;
        ids.extend(user.id);
    }
    let everyone: Vec<User<EnterpriseUser>> = users
        .stream(SearchRequest::new().count(2))
        .try_collect()
        .await?;
    println!("\n7. stream with count=2: {} users", everyone.len());
    for user in &everyone {
        println!(
            "   {} {}",
            user.id.as_deref().unwrap_or("-"),
            user.user_name.as_deref().unwrap_or("-")
        );
    }

    // 8. Delete what we created; the user is gone afterwards.
    for id in &ids {
        users.delete(id).await?;
    }
    match users.get(&id).await {
        Err(e) if e.is_not_found() => {
            println!("\n8. deleted {} users; get {id} now answers 404", ids.len());
        }
        other => println!("\n8. deleted {} users; get {id}: {other:?}", ids.len()),
    }
    Ok(())
}

fn attr(path: &str) -> Result<AttrPath, Error> {
    AttrPath::parse(path).map_err(|e| Error::InvalidRequest(e.to_string()))
}

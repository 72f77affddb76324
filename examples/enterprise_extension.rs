//! The enterprise extension (RFC 7643 section 4.3), and a vendor extension of your own, with
//! the blocking client.
//!
//! `User<EnterpriseUser>` is the core user with the enterprise extension; `User<(EnterpriseUser,
//! Acme)>` adds a second one. Extensions travel under their URN, are listed in `schemas`, can be
//! filtered, projected and patched with URN-qualified paths. A server that does not know an
//! extension keeps it as it is, and a client that does not model it keeps it too (in the
//! `unknown` map), so nothing is lost on the way.
//!
//! This example serves the demo server on a local socket and uses `scim_client::blocking`,
//! which must not run inside an async runtime: `main` is a plain `fn`.
//!
//! ```sh
//! cargo run -p scim-examples --example enterprise_extension
//! ```

use scim_client::blocking::Client;
use scim_client::model::{EnterpriseUser, Manager, User};
use scim_client::protocol::{PatchOp, SearchRequest};
use scim_client::{Resource, ScimExtension};
use scim_examples::demo_server::DemoServer;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// ACME's own user extension.
#[derive(ScimExtension, Clone, Debug, Default, PartialEq)]
#[scim(schema = "urn:acme:params:scim:schemas:extension:2.0:User")]
pub struct Acme {
    /// The badge number printed on the access card.
    pub badge: Option<String>,
    /// Floors the badge opens.
    pub floors: Vec<i64>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DemoServer::new().serve_in_background()?;
    println!("demo server listening on {}", server.base_url());
    let scim = Client::builder(&server.base_url()).build()?;

    // Two handles on the same endpoint, typed with different extension sets.
    let users = scim.resource::<User<(EnterpriseUser, Acme)>>();
    let enterprise_only = scim.resource::<User<EnterpriseUser>>();

    let mut bjensen = User::<(EnterpriseUser, Acme)>::new("bjensen@example.com");
    bjensen.extensions.insert(EnterpriseUser {
        employee_number: Some("701984".to_owned()),
        department: Some("Tour Operations".to_owned()),
        manager: Some(Manager {
            value: Some("26118915-6090-4610-87e4-49d8ca9f808d".to_owned()),
            ..Manager::default()
        }),
        ..EnterpriseUser::default()
    });
    bjensen.extensions.insert(Acme {
        badge: Some("B-0042".to_owned()),
        floors: vec![1, 4],
    });
    println!("schemas sent: {:?}", bjensen.schemas());
    let created = users.create(&bjensen)?;
    let id = created.id.clone().unwrap_or_default();
    println!(
        "created {id}: employeeNumber {:?}, badge {:?}",
        created
            .extension::<EnterpriseUser>()
            .and_then(|e| e.employee_number.as_deref()),
        created.extension::<Acme>().and_then(|a| a.badge.as_deref()),
    );

    // A client that models only the enterprise extension keeps the ACME one in `unknown`, and
    // sends it back on replace.
    let mut partial = enterprise_only.get(&id)?;
    println!(
        "read without modelling Acme: kept {:?}",
        partial.unknown.keys().collect::<Vec<_>>()
    );
    partial.display_name = Some("Babs".to_owned());
    enterprise_only.replace(&partial)?;
    let again = users.get(&id)?;
    println!(
        "after a replace by that client, the badge is still {:?}",
        again.extension::<Acme>().and_then(|a| a.badge.as_deref())
    );

    // Filter on an extension attribute with its URN-qualified path.
    let filter = format!(r#"{ENTERPRISE}:department eq "Tour Operations""#);
    let found = users.list(&SearchRequest::new().filter(filter.as_str()))?;
    println!(
        "filter on the department: {} user(s)",
        found.total_results.unwrap_or(0)
    );

    // Ask for the employee number only (plus what is always returned).
    let projected = enterprise_only.get_with(
        &id,
        &SearchRequest::new().attributes([format!("{ENTERPRISE}:employeeNumber")]),
    )?;
    println!(
        "attributes={ENTERPRISE}:employeeNumber: id {:?}, userName {:?}, employeeNumber {:?}",
        projected.id,
        projected.user_name,
        projected
            .extension::<EnterpriseUser>()
            .and_then(|e| e.employee_number.as_deref())
    );

    // PATCH an extension attribute, then a whole extension object.
    users.patch(
        &id,
        &PatchOp::new()
            .replace(format!("{ENTERPRISE}:costCenter"), "4130")
            .add(
                "urn:acme:params:scim:schemas:extension:2.0:User:floors",
                serde_json::json!([7]),
            ),
    )?;
    let patched = users.get(&id)?;
    println!(
        "patched: costCenter {:?}, floors {:?}",
        patched
            .extension::<EnterpriseUser>()
            .and_then(|e| e.cost_center.as_deref()),
        patched.extension::<Acme>().map(|a| a.floors.clone()),
    );

    users.delete(&id)?;
    println!("deleted {id}");
    Ok(())
}

//! Quickstart: the derive and the codec at work on the RFC 7643 section 8.3 enterprise user.
//!
//! Run with `cargo run -p scim-examples --example quickstart`.
//!
//! It parses the RFC payload as a server response, reads typed attributes and the enterprise
//! extension, shows why a response carrying a password is refused, serializes the user for a
//! create request (read-only attributes left out), and prints the exported `User` schema.

use scim_client::Resource;
use scim_client::codec::{self, Context, Projection};
use scim_client::model::{EnterpriseUser, User};

const RFC_8_3: &[u8] = include_bytes!("data/user-enterprise.json");

fn main() -> Result<(), scim_client::Error> {
    // 1. The RFC example carries `password`, which has `returned: never`: a server must never
    //    send it back, so as a response it is refused, naming the attribute.
    match codec::from_slice::<User<EnterpriseUser>>(RFC_8_3, Context::QueryResponse) {
        Err(e) => println!("refused as expected: {e}\n"),
        Ok(_) => println!("unexpectedly accepted a password in a response\n"),
    }

    // 2. Without it, parse as a server response: case-insensitive keys, typed values, the
    //    extension found by its URN.
    let mut payload: serde_json::Value =
        serde_json::from_slice(RFC_8_3).map_err(scim_client::Error::Encode)?;
    if let Some(obj) = payload.as_object_mut() {
        obj.remove("password");
    }
    let bytes = serde_json::to_vec(&payload).map_err(scim_client::Error::Encode)?;
    let user: User<EnterpriseUser> = codec::from_slice(&bytes, Context::QueryResponse)?;
    println!(
        "userName:       {}",
        user.user_name.as_deref().unwrap_or("-")
    );
    println!(
        "displayName:    {}",
        user.display_name.as_deref().unwrap_or("-")
    );
    if let Some(name) = &user.name {
        println!(
            "familyName:     {}",
            name.family_name.as_deref().unwrap_or("-")
        );
    }
    for email in &user.emails {
        println!(
            "email:          {} ({}{})",
            email.value.as_deref().unwrap_or("-"),
            email.type_.as_deref().unwrap_or("?"),
            if email.primary == Some(true) {
                ", primary"
            } else {
                ""
            }
        );
    }
    if let Some(enterprise) = user.extension::<EnterpriseUser>() {
        println!(
            "employeeNumber: {}",
            enterprise.employee_number.as_deref().unwrap_or("-")
        );
        if let Some(manager) = &enterprise.manager {
            println!(
                "manager:        {}",
                manager.value.as_deref().unwrap_or("-")
            );
        }
    }
    if let Some(meta) = &user.meta {
        println!("version:        {}", meta.version.as_deref().unwrap_or("-"));
        println!(
            "lastModified:   {}",
            meta.last_modified
                .map_or_else(|| "-".to_owned(), |t| t.to_string())
        );
    }

    // 3. Serialize for a create request: `id`, `meta`, `groups` and the manager's display
    //    name are read-only and left out; `schemas` lists the extension in use.
    let body = codec::to_value(&user, Context::CreateRequest)?;
    println!(
        "\ncreate request body:\n{}",
        serde_json::to_string_pretty(&body).map_err(scim_client::Error::Encode)?
    );

    // 4. A server answering `?attributes=userName,emails.value` writes only those (and `id`).
    let projection = Projection::attributes(["userName", "emails.value"]);
    let projected = codec::to_value_projected(&user, Context::QueryResponse, &projection)?;
    println!("\nprojected response: {projected}");

    // 5. The exported schema, as a server's `/Schemas` endpoint serves it.
    let schema = <User>::SCHEMA.to_json();
    let attributes = schema["attributes"].as_array().map_or(0, Vec::len);
    println!(
        "\n{} exports {attributes} attributes; userName: {}",
        <User>::SCHEMA.id,
        schema["attributes"][0]
    );
    Ok(())
}
